using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

using AgentRooms.Tests.Shared;

namespace AgentRooms.Tests.Support;

/// <summary>A person with a browser's cookie jar who reads pages and fills in their forms.</summary>
public sealed class Visitor(HttpClient client, CookieContainer cookies) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    /// <summary>A browser on a real server (an <see cref="AppProcess"/>); the same jar on several servers is one person.</summary>
    public static Visitor At(string baseUrl, CookieContainer cookies) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) }, cookies);

    public HttpClient Client => client;

    /// <summary>The Cookie header this visitor's browser would send.</summary>
    public string CookieHeader => cookies.GetCookieHeader(client.BaseAddress!);

    public async Task<Page> Get(string url)
    {
        var response = await client.GetAsync(url);
        return await Page.Read(response);
    }

    /// <summary>Opens <paramref name="url"/>, fills the form holding the named button and submits it.</summary>
    public async Task<Page> Submit(string url, string button, IDictionary<string, string> fields)
    {
        var page = await Get(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await page.Submit(this, button, fields);
    }

    /// <summary>Posts exactly these fields, as a hand-made request would.</summary>
    public async Task<Page> Post(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        return await Page.Read(response);
    }

    /// <summary>Posts these fields with one header of a script's (e.g. <c>X-Stream: 1</c>).</summary>
    public async Task<Page> PostWithHeader(string url, IEnumerable<KeyValuePair<string, string>> fields, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(header, value);
        return await Page.Read(await client.SendAsync(request));
    }

    /// <summary>Posts these fields as the room page's script does: marked as an htmx request.</summary>
    public async Task<Page> PostAsHtmx(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("HX-Request", "true");
        return await Page.Read(await client.SendAsync(request));
    }

    public void Dispose() => client.Dispose();

    public sealed record Page(HttpResponseMessage Response, IHtmlDocument Document)
    {
        public HttpStatusCode Status => Response.StatusCode;
        public string? Location => Response.Headers.Location?.OriginalString;

        public static async Task<Page> Read(HttpResponseMessage response)
        {
            var html = await response.Content.ReadAsStringAsync();
            return new Page(response, Parser.ParseDocument(html));
        }

        public string Text => Document.Body?.TextContent ?? "";

        /// <summary>The validation message rendered beside a field ("" when there is none).</summary>
        public string ErrorFor(string fieldName) =>
            Document.QuerySelector($"[data-valmsg-for='{fieldName}']")?.TextContent.Trim() ?? "";

        /// <summary>The form-wide problems (validation summary).</summary>
        public string FormErrors =>
            string.Join(" ", Document.QuerySelectorAll(".form-errors li").Select(li => li.TextContent.Trim()));

        public string AntiforgeryToken(string? button = null) =>
            FormWith(button).QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value")
            ?? throw new InvalidOperationException("The form has no antiforgery token");

        public IHtmlFormElement FormWith(string? button)
        {
            var forms = Document.Forms.Where(f => button is null || f.QuerySelectorAll("button")
                .Any(b => b.TextContent.Trim() == button)).ToList();
            return forms.Count > 0 ? forms[0] : throw new InvalidOperationException($"No form with a button {button}");
        }

        public async Task<Page> Submit(Visitor visitor, string button, IDictionary<string, string> fields)
        {
            var form = FormWith(button);
            var values = form.Elements.OfType<IHtmlInputElement>()
                .Where(i => !string.IsNullOrEmpty(i.Name) && (i.Type is not ("checkbox" or "radio") || i.IsChecked))
                .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
                .Concat(form.Elements.OfType<IHtmlTextAreaElement>().Select(t => new KeyValuePair<string, string>(t.Name!, t.Value)))
                .Concat(form.Elements.OfType<IHtmlSelectElement>().Select(s => new KeyValuePair<string, string>(s.Name!, s.Value ?? "")))
                .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
            foreach (var (name, value) in fields)
                values[name] = value;
            var action = form.GetAttribute("action") is { Length: > 0 } a ? a : Response.RequestMessage!.RequestUri!.PathAndQuery;
            return await visitor.Post(action, values);
        }
    }
}
