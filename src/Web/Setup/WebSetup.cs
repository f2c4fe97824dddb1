using AgentRooms.Data;

namespace AgentRooms.Web.Setup;

public static class WebSetup
{
    public static void AddWebUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AllowAnonymousToPage("/Account/Login");
            pages.Conventions.AllowAnonymousToPage("/Account/Register");
            pages.Conventions.AllowAnonymousToPage("/Account/Logout");
            pages.Conventions.AllowAnonymousToPage("/Status");
            pages.Conventions.AllowAnonymousToPage("/Invitations/Landing");
        });
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = "RequestVerificationToken";
            antiforgery.Cookie.Name = "agentrooms.af";
        });
    }

    /// <summary>
    /// A strict policy on every response: scripts and styles only from this origin (htmx is
    /// configured not to inject inline styles), no framing, no referrer so invite tokens never leak.
    /// </summary>
    public static void UseSecurityHeaders(this WebApplication app)
    {
        const string policy =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
            "form-action 'self'; frame-ancestors 'none'";
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            return next(context);
        });
    }

    /// <summary><c>/healthz</c>: 200 when the database answers, 503 when it does not.</summary>
    public static void MapHealthEndpoint(this WebApplication app)
    {
        app.MapGet("/healthz", async (AppDbContext db, CancellationToken cancel) =>
            await db.Database.CanConnectAsync(cancel)
                ? Results.Text("healthy", statusCode: StatusCodes.Status200OK)
                : Results.Text("database unreachable", statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous();
    }
}
