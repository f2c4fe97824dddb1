using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StoredHtmlAndReplyLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContentHtml",
                table: "Messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StartedById",
                table: "AgentReplies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AgentReplies_CreatedAt",
                table: "AgentReplies",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_AgentReplies_StartedById_CreatedAt",
                table: "AgentReplies",
                columns: new[] { "StartedById", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AgentReplies_CreatedAt",
                table: "AgentReplies");

            migrationBuilder.DropIndex(
                name: "IX_AgentReplies_StartedById_CreatedAt",
                table: "AgentReplies");

            migrationBuilder.DropColumn(
                name: "ContentHtml",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "StartedById",
                table: "AgentReplies");
        }
    }
}
