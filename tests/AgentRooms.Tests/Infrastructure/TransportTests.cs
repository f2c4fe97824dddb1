using System.Net;
using System.Net.Http.Headers;
using AgentRooms.Tests.Support;

namespace AgentRooms.Tests.Infrastructure;

/// <summary>What goes over the wire: compressed pages, and static files cached for as long as their address stands.</summary>
public sealed class TransportTests(SqliteAppFactory app) : IClassFixture<SqliteAppFactory>
{
    /// <summary>The budget for a room page with a full page of messages, compressed (7.3 KB with Brotli, 8.8 with gzip on 2026-12-08).</summary>
    private const int RoomPageBudget = 12 * 1024;

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task A_room_page_with_fifty_messages_arrives_compressed_within_its_budget(string encoding)
    {
        var (alice, _) = await app.SignedInPerson("Compressed");
        var roomId = await alice.CreateRoom("On the wire");
        for (var i = 1; i <= 50; i++)
            await alice.Send(roomId, $"Message number {i}: a sentence of ordinary length, with **some** markdown and a [link](https://example.com/{i}).");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/rooms/{roomId}");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        using var response = await alice.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.True(bytes.Length < RoomPageBudget, $"{bytes.Length} bytes compressed, over the {RoomPageBudget} budget");
    }

    [Fact]
    public async Task Versioned_static_files_are_cached_for_a_year_and_unversioned_ones_are_not()
    {
        var visitor = app.NewVisitor();
        var page = await visitor.Get("/Account/Login");
        var script = page.Document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).First(src => src.Contains("/js/site.js"));
        Assert.Contains("?v=", script);

        using var versioned = await visitor.Client.GetAsync(script);
        using var plain = await visitor.Client.GetAsync("/js/site.js");

        Assert.Equal("public, max-age=31536000, immutable", versioned.Headers.CacheControl?.ToString());
        Assert.Null(plain.Headers.CacheControl);
    }

    [Fact]
    public async Task The_room_page_modules_come_from_one_versioned_folder_all_preloaded_and_all_cached()
    {
        var (alice, _) = await app.SignedInPerson("Modules");
        var roomId = await alice.CreateRoom("Scripts");
        var page = await alice.Get($"/rooms/{roomId}");
        var entry = page.Document.QuerySelector("script[type=module]")!.GetAttribute("src")!;
        var preloaded = page.Document.QuerySelectorAll("link[rel=modulepreload]").Select(l => l.GetAttribute("href")!).ToHashSet();
        Assert.Matches("^/js/v-[0-9a-f]{12}/room.js$", entry);
        var folder = entry[..entry.LastIndexOf('/')];

        // Every module the entry imports (and they import) resolves inside the versioned folder, is
        // preloaded, and is kept for a year.
        var pending = new Queue<string>([entry]);
        var seen = new HashSet<string>();
        while (pending.TryDequeue(out var address))
        {
            if (!seen.Add(address))
                continue;
            using var response = await alice.Client.GetAsync(address);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            var source = await response.Content.ReadAsStringAsync();
            foreach (System.Text.RegularExpressions.Match import in System.Text.RegularExpressions.Regex.Matches(source, @"from ""(\./[^""]+)"""))
            {
                var imported = new Uri(new Uri("http://app" + address), import.Groups[1].Value).AbsolutePath;
                Assert.StartsWith(folder + "/", imported);
                Assert.Contains(imported, preloaded);
                pending.Enqueue(imported);
            }
        }
        Assert.True(seen.Count > 5, $"only {seen.Count} modules found");
    }
}
