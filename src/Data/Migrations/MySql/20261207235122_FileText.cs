using System;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.MySql
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
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "TextReadAt",
                table: "Attachments",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FilePassages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    AttachmentId = table.Column<long>(type: "bigint", nullable: false),
                    RoomId = table.Column<int>(type: "int", nullable: false),
                    Page = table.Column<int>(type: "int", nullable: false),
                    Text = table.Column<string>(type: "longtext", nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4")
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
                })
                .Annotation("MySql:CharSet", "utf8mb4");

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

            // The passages' words, searchable as messages are: InnoDB keeps a FULLTEXT index in step by itself.
            migrationBuilder.Sql("CREATE FULLTEXT INDEX `IX_FilePassages_Text_FullText` ON `FilePassages` (`Text`);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
