using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Rooms;

/// <summary>Two people in Chromium chatting through nginx and the committed recipe, their sockets on different nodes.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SeveralNodesTests(NginxCluster cluster, Chromium chromium) : IClassFixture<NginxCluster>
{
    [Fact]
    public async Task Two_people_whose_sockets_land_on_different_nodes_chat_as_on_one()
    {
        await using var alice = await Person.Arrive(chromium, cluster.BaseUrl, "Alice");
        await using var bob = await Person.Arrive(chromium, cluster.BaseUrl, "Bob");
        await Task.WhenAll(alice.Register(), bob.Register());
        var roomUrl = await alice.CreateRoom("Behind nginx", "Public");
        await bob.Page.GotoAsync(roomUrl.ToString());
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(bob.Page).ToHaveURLAsync(roomUrl + "#latest");

        // No sticky sessions: nginx deals requests to the nodes in turn; Bob reloads until his socket is on the
        // other one. A reload makes the same number of requests each time, so if that number is even his socket
        // would land on the same node for ever: every other reload is preceded by one more request.
        var alicesNode = await SocketNode(alice);
        var bobsNode = await SocketNode(bob);
        for (var reload = 0; bobsNode == alicesNode && reload < 10; reload++)
        {
            var opened = cluster.SocketsOpenedBy(bob.Name);
            if (reload % 2 == 1)
                await bob.Page.APIRequest.GetAsync("/healthz");
            await bob.Page.ReloadAsync();
            await Until(() => cluster.SocketsOpenedBy(bob.Name) > opened);
            bobsNode = await SocketNode(bob);
        }
        Assert.NotSame(alicesNode, bobsNode);

        // Each sees the other here, typing, and their messages, live.
        await Expect(alice.Page.GetByLabel("Members").Locator("li.here", new() { HasText = "Bob" })).ToBeVisibleAsync();
        await Expect(bob.Page.GetByLabel("Members").Locator("li.here", new() { HasText = "Alice" })).ToBeVisibleAsync();
        await bob.Composer.PressSequentiallyAsync("Hello from");
        await Expect(alice.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "typing" })).ToHaveTextAsync("Bob is typing…");
        await bob.Composer.PressSequentiallyAsync(" the **other** node");
        await bob.Composer.PressAsync("Enter");
        var alicesLog = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article);
        await Expect(alicesLog).ToHaveTextAsync([new Regex("Hello from the other node")]);
        await Expect(alice.Page.Locator("#typing")).ToHaveTextAsync("");

        await alice.Composer.FillAsync("Loud and clear");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article))
            .ToHaveTextAsync([new Regex("Hello from the other node"), new Regex("Loud and clear")]);
        await Expect(alicesLog).ToHaveCountAsync(2);

        // Bob leaves the page: Alice, on the other node, sees him away.
        await bob.Page.GotoAsync("/rooms");
        await Expect(alice.Page.GetByLabel("Members").Locator("li.away", new() { HasText = "Bob" })).ToBeVisibleAsync();
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }

    private async Task<object> SocketNode(Person person)
    {
        await Until(() => cluster.NodeWithSocketOf(person.Name) is not null);
        return cluster.NodeWithSocketOf(person.Name)!;
    }

    private static Task Until(Func<bool> condition) =>
        AgentRooms.Tests.Support.Eventually.True(condition, what: "the nodes' socket logs");
}
