using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.MySql
{
    /// <inheritdoc />
    public partial class Usage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The new index first: MySQL keeps an index under the AgentId foreign key at all times.
            migrationBuilder.CreateIndex(
                name: "IX_AgentReplies_AgentId_CreatedAt",
                table: "AgentReplies",
                columns: new[] { "AgentId", "CreatedAt" });

            migrationBuilder.DropIndex(
                name: "IX_AgentReplies_AgentId",
                table: "AgentReplies");

            migrationBuilder.AddColumn<int>(
                name: "DailyTokenLimit",
                table: "Agents",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InputTokens",
                table: "AgentReplies",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "OutputTokens",
                table: "AgentReplies",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "TokensEstimated",
                table: "AgentReplies",
                type: "tinyint(1)",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "UsageModel",
                table: "AgentReplies",
                type: "varchar(100)",
                maxLength: 100,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AgentReplies_AgentId",
                table: "AgentReplies",
                column: "AgentId");

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

        }
    }
}
