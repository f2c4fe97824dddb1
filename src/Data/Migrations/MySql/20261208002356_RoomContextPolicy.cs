using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.MySql
{
    /// <inheritdoc />
    public partial class RoomContextPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ContextTokens",
                table: "Rooms",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ContextWithoutAgents",
                table: "Rooms",
                type: "tinyint(1)",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ContextWithoutFiles",
                table: "Rooms",
                type: "tinyint(1)",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ContextTokens",
                table: "Rooms");

            migrationBuilder.DropColumn(
                name: "ContextWithoutAgents",
                table: "Rooms");

            migrationBuilder.DropColumn(
                name: "ContextWithoutFiles",
                table: "Rooms");
        }
    }
}
