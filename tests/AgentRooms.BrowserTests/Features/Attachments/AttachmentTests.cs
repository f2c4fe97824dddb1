using System.Text;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Attachments;

/// <summary>People share images and files live: picked, dropped, or posted by a page without JavaScript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AttachmentTests(LiveApp app, Chromium chromium)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.Gold };
            canvas.DrawCircle(width / 2f, height / 2f, height / 3f, paint);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static ILocator Last(Person who) => who.Page.Locator("#messages article[data-seq]").Last;

    [Fact]
    public async Task Two_people_share_an_image_and_a_pdf_live_and_a_page_without_javascript_sends_one_too()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Shares");
        await using var bob = await Person.Arrive(chromium, app, "Bob Looks");
        await using var cleo = await Person.Arrive(chromium, app, "Cleo Plain Files", javaScript: false);
        await ada.Register();
        await bob.Register();
        await cleo.Register();
        var roomUrl = await ada.CreateRoom("Show and tell", "Public");
        await bob.Join(roomUrl);
        await cleo.Join(roomUrl);
        await bob.Page.SetViewportSizeAsync(390, 844); // Bob is on his phone
        await ada.Page.ReloadAsync();

        // Ada picks two files: each shows its progress, then what it is.
        await ada.Page.GetByLabel("Attach", new() { Exact = true }).SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "chart.png", MimeType = "image/png", Buffer = Png(1200, 800) },
            new FilePayload { Name = "report.pdf", MimeType = "application/pdf", Buffer = Pdf },
        });
        var files = ada.Page.GetByRole(AriaRole.List, new() { Name = "Files to send" });
        await Expect(files.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Expect(files).ToContainTextAsync("PNG image");
        await Expect(files).ToContainTextAsync("PDF document");
        await Expect(files.GetByRole(AriaRole.Button, new() { Name = "Remove report.pdf" })).ToBeVisibleAsync();
        await ada.Composer.FillAsync("Here are the numbers");
        await ada.Composer.PressAsync("Enter");
        await Expect(files).ToBeHiddenAsync();


        // Bob sees them arrive: the image drawn, the PDF as a card that downloads.
        await Expect(Last(bob)).ToContainTextAsync("Here are the numbers");
        var image = Last(bob).GetByRole(AriaRole.Img, new() { Name = "chart.png" });
        await Expect(image).ToBeVisibleAsync();
        await image.ScrollIntoViewIfNeededAsync();
        await bob.Page.WaitForFunctionAsync("() => { const i = [...document.querySelectorAll('.attachment-image img')].pop(); return i && i.complete && i.naturalWidth === 640; }");
        var popup = await bob.Page.RunAndWaitForPopupAsync(() => image.ClickAsync());
        await popup.WaitForLoadStateAsync();
        Assert.Matches("/files/[0-9a-f]{32}$", popup.Url);
        Assert.Equal(1200, await popup.EvaluateAsync<int>("() => document.images[0].naturalWidth"));
        await popup.CloseAsync();
        var card = Last(bob).GetByRole(AriaRole.Link, new() { Name = "report.pdf" });
        await Expect(card).ToContainTextAsync("PDF document");
        var download = await bob.Page.RunAndWaitForDownloadAsync(() => card.ClickAsync());
        Assert.Equal("report.pdf", download.SuggestedFilename);

        // Sent while a file is still on its way up, a message waits for it and then goes, file and all.
        var held = new TaskCompletionSource();
        await ada.Page.RouteAsync("**/attachments?name=late.txt", async route => { await held.Task; await route.ContinueAsync(); });
        await ada.Page.GetByLabel("Attach", new() { Exact = true }).SetInputFilesAsync(new FilePayload
        {
            Name = "late.txt", MimeType = "text/plain", Buffer = System.Text.Encoding.UTF8.GetBytes("the late numbers"),
        });
        await ada.Composer.FillAsync("And one more");
        await ada.Composer.PressAsync("Enter");
        await Expect(ada.Page.Locator("#composer-error")).ToHaveTextAsync("Sending when the files are uploaded…");
        await Expect(ada.Composer).ToHaveValueAsync("And one more"); // nothing lost while it waits
        held.SetResult();
        await Expect(Last(bob)).ToContainTextAsync("And one more");
        await Expect(Last(bob).GetByRole(AriaRole.Link, new() { Name = "late.txt" })).ToBeVisibleAsync();
        await Expect(ada.Composer).ToHaveValueAsync("");
        await Expect(ada.Page.Locator("#composer-error")).ToHaveTextAsync("");
        await ada.Page.UnrouteAsync("**/attachments?name=late.txt");

        // Bob drops a note on the room, and sends it with no words.
        await bob.Page.EvaluateAsync("""
            () => {
                const data = new DataTransfer();
                data.items.add(new File(["see you at ten"], "note.txt", { type: "text/plain" }));
                const room = document.querySelector(".room");
                room.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
                room.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
            }
            """);
        await Expect(bob.Page.GetByRole(AriaRole.List, new() { Name = "Files to send" })).ToContainTextAsync("Text");
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(Last(ada).GetByRole(AriaRole.Link, new() { Name = "note.txt" })).ToBeVisibleAsync();

        // Cleo has no JavaScript: the plain file input goes with her message, and it reaches the others live.
        await cleo.Page.ReloadAsync();
        await cleo.Page.GetByLabel("Attach", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "sketch.png", MimeType = "image/png", Buffer = Png(300, 200) });
        await cleo.Composer.FillAsync("My sketch");
        await cleo.Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(cleo.Page.Locator("#messages").GetByRole(AriaRole.Img, new() { Name = "sketch.png" })).ToBeVisibleAsync();
        await Expect(Last(ada).GetByRole(AriaRole.Img, new() { Name = "sketch.png" })).ToBeVisibleAsync();
        await Expect(Last(bob)).ToContainTextAsync("My sketch");

        Assert.Empty(ada.Problems);
        Assert.Empty(bob.Problems);
        Assert.Empty(cleo.Problems);
    }
}
