using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ToolApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ToolApprovals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgentReplyId = table.Column<long>(type: "INTEGER", nullable: false),
                    RoomId = table.Column<int>(type: "INTEGER", nullable: false),
                    AskerId = table.Column<string>(type: "TEXT", nullable: false),
                    Tool = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Arguments = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Decision = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ToolApprovals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ToolApprovals_AgentReplies_AgentReplyId",
                        column: x => x.AgentReplyId,
                        principalTable: "AgentReplies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ToolApprovals_AspNetUsers_AskerId",
                        column: x => x.AskerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ToolRules",
                columns: table => new
                {
                    Tool = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NeedsApproval = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ToolRules", x => x.Tool);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ToolApprovals_AgentReplyId",
                table: "ToolApprovals",
                column: "AgentReplyId");

            migrationBuilder.CreateIndex(
                name: "IX_ToolApprovals_AskerId",
                table: "ToolApprovals",
                column: "AskerId");

            migrationBuilder.CreateIndex(
                name: "IX_ToolApprovals_RoomId",
                table: "ToolApprovals",
                column: "RoomId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ToolApprovals");

            migrationBuilder.DropTable(
                name: "ToolRules");
        }
    }
}
