using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentRooms.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ContextWithoutAgents",
                table: "Rooms",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ContextWithoutFiles",
                table: "Rooms",
                type: "INTEGER",
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
