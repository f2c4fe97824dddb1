using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.MySql
{
    /// <inheritdoc />
    public partial class RenderAgain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Tables, task lists, strikethrough, highlighted code and mention chips render now: messages
            // that may hold them lose their stored HTML, and StoredHtmlBackfill renders it again.
            migrationBuilder.Sql(
                "UPDATE Messages SET ContentHtml = NULL WHERE ContentHtml IS NOT NULL AND DeletedAt IS NULL AND Kind <> 2 AND " +
                "(Content LIKE '%|%' OR Content LIKE '%```%' OR Content LIKE '%    %' OR Content LIKE '%@%' OR Content LIKE '%~~%' OR Content LIKE '%[ ]%' OR Content LIKE '%[x]%')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
