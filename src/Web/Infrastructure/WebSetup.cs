using StackExchange.Redis;
using System.Net;
using AgentRooms.Data;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.ResponseCompression;

namespace AgentRooms.Web.Infrastructure;

public static class WebSetup
{
    public static void AddWebUi(this WebApplicationBuilder builder)
    {
        // Razor Pages' own root, Pages/: one folder per feature holds its pages, components and services (see the README's layout).
        builder.Services.AddRazorPages(pages => pages.Conventions.ConfigureFilter(new NoHandlerFilter()));
        AppOptions.Add(builder);
        RequestLimits.Add(builder);
        EmailSender.Add(builder);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<Site>();
        builder.Services.AddSingleton<ScriptModules>();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = "RequestVerificationToken";
            antiforgery.Cookie.Name = "agentrooms.af";
        });
        // Pages, scripts and styles go compressed (a room page shrinks to about a quarter). Over https
        // too: the one secret in a page, the antiforgery token, is different in every response, which
        // is what BREACH needs not to be. Both at .NET's "optimal" (Brotli quality 4, gzip 6): a millisecond
        // or two on a room page of fifty messages, which then weighs 40% less than at "fastest".
        builder.Services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = ResponseCompressionDefaults.MimeTypes.Append("image/svg+xml");
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        // Without ASPNETCORE_URLS, --urls, ASPNETCORE_HTTP_PORTS (the container image's 8080) or Kestrel
        // endpoints in configuration: the README's address.
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"]) && string.IsNullOrEmpty(configuration["https_ports"])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
            builder.WebHost.UseUrls("http://localhost:5080");
    }

    /// <summary>
    /// Static files: a versioned address (<c>asp-append-version</c>'s <c>?v=</c>, or a module's
    /// <c>/js/v-{hash}/</c>, see <see cref="ScriptModules"/>) never changes its content, so browsers
    /// keep it for a year without asking; unversioned ones are checked each time.
    /// </summary>
    public static void UseStaticFilesCached(this WebApplication app)
    {
        app.Use(ScriptModules.Rewrite);
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                if (file.Context.Request.Query.ContainsKey("v") || ScriptModules.IsVersioned(file.Context))
                    file.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            },
        });
    }

    /// <summary>
    /// Behind a reverse proxy the client's address and scheme come from <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c>, so per-client limits count people, not the proxy, and the socket's
    /// origin check sees https. Only proxies on loopback are believed, or exactly those named in
    /// <c>ForwardedHeaders:KnownProxies</c>; anyone else's headers are ignored.
    /// </summary>
    public static void AddForwardedHeaders(this WebApplicationBuilder builder)
    {
        var named = Addresses.Parse(builder.Read<ProxyOptions>("ForwardedHeaders", o => Addresses.Parse(o.KnownProxies) is not null,
            "ForwardedHeaders:KnownProxies is a comma-separated list of IP addresses").KnownProxies)!;
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (named.Count == 0)
                return; // the defaults: loopback only
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            named.ForEach(options.KnownProxies.Add);
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

    /// <summary>
    /// <c>/healthz</c>: 200 when the database answers, 503 when it does not. <c>/readyz</c>: whether this
    /// node can serve: the database answers and, on several nodes, so does Redis (503 names what does not).
    /// </summary>
    public static void MapHealthEndpoint(this WebApplication app)
    {
        app.MapGet("/healthz", async (AppDbContext db, CancellationToken cancel) =>
            await db.Database.CanConnectAsync(cancel)
                ? Results.Text("healthy", statusCode: StatusCodes.Status200OK)
                : Results.Text("database unreachable", statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous();
        app.MapGet("/readyz", async (AppDbContext db, IServiceProvider services, CancellationToken cancel) =>
            {
                var problems = new List<string>();
                try
                {
                    if (!await db.Database.CanConnectAsync(cancel))
                        problems.Add("database unreachable");
                }
                catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    problems.Add("database unreachable");
                }
                if (services.GetService<IConnectionMultiplexer>() is { } redis)
                {
                    try
                    {
                        if (!redis.IsConnected)
                            problems.Add("redis unreachable");
                        else
                            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancel);
                    }
                    catch (Exception exception) when (exception is RedisException or TimeoutException)
                    {
                        problems.Add("redis unreachable");
                    }
                }
                return problems.Count == 0
                    ? Results.Text("ready")
                    : Results.Text(string.Join("; ", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .AllowAnonymous();
    }
}

/// <summary>
/// A post (or any other method) for which a page has no handler, such as an old or made-up
/// <c>?handler=</c>, answers 405. Razor Pages would otherwise render the page without running any
/// handler, with nothing loaded: a 500.
/// </summary>
public sealed class NoHandlerFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var method = context.HttpContext.Request.Method;
        if (context.HandlerMethod is null && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return;
        }
        await next();
    }
}
