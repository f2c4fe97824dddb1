using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Features.Search;

public static class SearchSetup
{
    public static void AddSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IMessageSearch>(services => services.GetRequiredService<AppDbContext>() is var db && db.Database.IsMySql()
            ? new MySqlMessageSearch(db)
            : new SqliteMessageSearch(db));
        builder.Services.AddScoped<Searching>();
    }
}
