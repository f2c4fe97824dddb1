using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.Sqlite
{
    /// <summary>
    /// Full-text search of messages: an FTS5 index over Messages.Content (words stemmed by Porter,
    /// accents folded), kept in step with every insert, edit and deletion by triggers, so no code path
    /// can forget it. It stores no text of its own (external content), only the index.
    /// </summary>
    public partial class MessageSearch : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "MessageSearch" USING fts5(
                    "Content", content='Messages', content_rowid='Id',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_Search_Insert" AFTER INSERT ON "Messages" BEGIN
                    INSERT INTO "MessageSearch"(rowid, "Content") VALUES (new."Id", new."Content");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_Search_Delete" AFTER DELETE ON "Messages" BEGIN
                    INSERT INTO "MessageSearch"("MessageSearch", rowid, "Content") VALUES ('delete', old."Id", old."Content");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_Search_Update" AFTER UPDATE OF "Content" ON "Messages" BEGIN
                    INSERT INTO "MessageSearch"("MessageSearch", rowid, "Content") VALUES ('delete', old."Id", old."Content");
                    INSERT INTO "MessageSearch"(rowid, "Content") VALUES (new."Id", new."Content");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "MessageSearch"("MessageSearch") VALUES ('rebuild');""");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Messages_Search_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER "Messages_Search_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "Messages_Search_Insert";""");
            migrationBuilder.Sql("""DROP TABLE "MessageSearch";""");
        }
    }
}
