using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Search;

public static class SearchSetup
{
    public static void AddSearch(this WebApplicationBuilder builder)
    {
        var recentWindow = builder.Configuration.GetValue("Search:RecentWindow", MySqlMessageSearch.RecentWindow);
        builder.Services.AddScoped<IMessageSearch>(services => services.GetRequiredService<AppDbContext>() is var db && db.Database.IsMySql()
            ? new MySqlMessageSearch(db, Math.Max(1, recentWindow))
            : new SqliteMessageSearch(db));
        builder.Services.AddScoped<Searching>();
    }
}
