using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Usage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AgentReplies_AgentId",
                table: "AgentReplies");

            migrationBuilder.AddColumn<int>(
                name: "DailyTokenLimit",
                table: "Agents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InputTokens",
                table: "AgentReplies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "OutputTokens",
                table: "AgentReplies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "TokensEstimated",
                table: "AgentReplies",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "UsageModel",
                table: "AgentReplies",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AgentReplies_AgentId_CreatedAt",
                table: "AgentReplies",
                columns: new[] { "AgentId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AgentReplies_AgentId_CreatedAt",
                table: "AgentReplies");

            migrationBuilder.DropColumn(
                name: "DailyTokenLimit",
                table: "Agents");

            migrationBuilder.DropColumn(
                name: "InputTokens",
                table: "AgentReplies");

            migrationBuilder.DropColumn(
                name: "OutputTokens",
                table: "AgentReplies");

            migrationBuilder.DropColumn(
                name: "TokensEstimated",
                table: "AgentReplies");

            migrationBuilder.DropColumn(
                name: "UsageModel",
                table: "AgentReplies");

            migrationBuilder.CreateIndex(
                name: "IX_AgentReplies_AgentId",
                table: "AgentReplies",
                column: "AgentId");
        }
    }
}
