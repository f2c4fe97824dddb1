using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.MySql
{
    /// <summary>Full-text search of messages: InnoDB keeps a FULLTEXT index in step with every write by itself.</summary>
    public partial class MessageSearch : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE FULLTEXT INDEX `IX_Messages_Content_FullText` ON `Messages` (`Content`);");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX `IX_Messages_Content_FullText` ON `Messages`;");
        }
    }
}
