using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Support;

/// <summary>
/// An OCI registry on loopback (the pull side of the distribution protocol) serving one small base image,
/// so the SDK can build the app's image where mcr.microsoft.com cannot be reached. The base stands in for
/// the ASP.NET Core image only as far as building goes: a layer with /home/app owned by uid 1654, and the
/// environment the real one sets. The image built on it is checked for what the project sets, not run.
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    public const string Repository = "dotnet/aspnet";
    public const string Tag = "10.0";

    private readonly Dictionary<string, (string MediaType, byte[] Bytes)> blobs = [];
    private readonly byte[] manifest;
    private readonly string manifestDigest;
    private WebApplication? server;

    public FakeRegistry()
    {
        var (layer, diffId) = BaseLayer();
        var layerDigest = Add("application/vnd.oci.image.layer.v1.tar+gzip", layer);
        var config = Encoding(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=1654",
                    "ASPNETCORE_HTTP_PORTS=8080", "DOTNET_RUNNING_IN_CONTAINER=true"),
                ["WorkingDir"] = "/",
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId) },
            ["history"] = new JsonArray(new JsonObject { ["created_by"] = "the tests' stand-in for the ASP.NET Core image" }),
        });
        var configDigest = Add("application/vnd.oci.image.config.v1+json", config);
        manifest = Encoding(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = config.Length },
            ["layers"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = layerDigest, ["size"] = layer.Length,
            }),
        });
        manifestDigest = Digest(manifest);
        BaseLayerDigest = layerDigest;
    }

    /// <summary><c>localhost:port</c>: the SDK talks plain HTTP to a registry on localhost.</summary>
    public string Host { get; private set; } = "";

    public string BaseImage => $"{Host}/{Repository}:{Tag}";

    public string BaseLayerDigest { get; }

    /// <summary>What was asked for (method and path), to tell a failure from a registry never asked.</summary>
    public List<string> Requests { get; } = [];

    public async Task Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        server = builder.Build();
        server.MapMethods("/v2/", ["GET", "HEAD"], () => Results.Json(new { }));
        server.MapMethods("/v2/{**path}", ["GET", "HEAD"], (HttpContext context, string path) =>
        {
            lock (Requests)
                Requests.Add($"{context.Request.Method} /v2/{path}");
            if (path == $"{Repository}/manifests/{Tag}" || path == $"{Repository}/manifests/{manifestDigest}")
                return Serve(context, "application/vnd.oci.image.manifest.v1+json", manifest, manifestDigest);
            var prefix = $"{Repository}/blobs/";
            if (path.StartsWith(prefix) && blobs.TryGetValue(path[prefix.Length..], out var blob))
                return Serve(context, blob.MediaType, blob.Bytes, path[prefix.Length..]);
            return Results.NotFound();
        });
        await server.StartAsync();
        var address = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Host = $"localhost:{address.Port}";
    }

    private static IResult Serve(HttpContext context, string mediaType, byte[] bytes, string digest)
    {
        context.Response.Headers["Docker-Content-Digest"] = digest;
        context.Response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Results.Content("", mediaType) : Results.Bytes(bytes, mediaType);
    }

    private string Add(string mediaType, byte[] bytes)
    {
        var digest = Digest(bytes);
        blobs[digest] = (mediaType, bytes);
        return digest;
    }

    /// <summary>A gzipped tar with /home/app, owned by the image's non-root user; and its uncompressed digest.</summary>
    private static (byte[] Gzipped, string DiffId) BaseLayer()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "home/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "home/app/") { Mode = (UnixFileMode)0b111_101_101, Uid = 1654, Gid = 1654 });
        }
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(tar.ToArray());
        return (gzipped.ToArray(), Digest(tar.ToArray()));
    }

    private static string Digest(byte[] bytes) => $"sha256:{Convert.ToHexStringLower(SHA256.HashData(bytes))}";

    private static byte[] Encoding(JsonNode json) => JsonSerializer.SerializeToUtf8Bytes(json);

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
    }
}
