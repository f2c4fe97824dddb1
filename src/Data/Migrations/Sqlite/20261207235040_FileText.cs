using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FileText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TextPages",
                table: "Attachments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "TextReadAt",
                table: "Attachments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FilePassages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AttachmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    RoomId = table.Column<int>(type: "INTEGER", nullable: false),
                    Page = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FilePassages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FilePassages_Attachments_AttachmentId",
                        column: x => x.AttachmentId,
                        principalTable: "Attachments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Attachments_TextReadAt",
                table: "Attachments",
                column: "TextReadAt");

            migrationBuilder.CreateIndex(
                name: "IX_FilePassages_AttachmentId_Page",
                table: "FilePassages",
                columns: new[] { "AttachmentId", "Page" });

            migrationBuilder.CreateIndex(
                name: "IX_FilePassages_RoomId",
                table: "FilePassages",
                column: "RoomId");

            // The passages' words, searchable as messages are (MessageSearch): an FTS5 index kept in step by triggers.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "PassageSearch" USING fts5(
                    "Text", content='FilePassages', content_rowid='Id',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "FilePassages_Search_Insert" AFTER INSERT ON "FilePassages" BEGIN
                    INSERT INTO "PassageSearch"(rowid, "Text") VALUES (new."Id", new."Text");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "FilePassages_Search_Delete" AFTER DELETE ON "FilePassages" BEGIN
                    INSERT INTO "PassageSearch"("PassageSearch", rowid, "Text") VALUES ('delete', old."Id", old."Text");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "FilePassages_Search_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "FilePassages_Search_Insert";""");
            migrationBuilder.Sql("""DROP TABLE "PassageSearch";""");
            migrationBuilder.DropTable(
                name: "FilePassages");

            migrationBuilder.DropIndex(
                name: "IX_Attachments_TextReadAt",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "TextPages",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "TextReadAt",
                table: "Attachments");
        }
    }
}
