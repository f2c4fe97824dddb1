using System.Text.Json;
using AgentRooms.Web.Infrastructure;

namespace AgentRooms.Web.Pages.Webhooks;

/// <summary>
/// <c>POST /hooks/{token}</c>: what a team's other tools send, as Slack's incoming webhooks take it:
/// JSON <c>{"text": "…"}</c> (Markdown). No cookie, no antiforgery token: the secret address is the
/// credential. Answers <c>ok</c>, or a short reason with a 4xx.
/// </summary>
public static class WebhookEndpoint
{
    public const int MaxBody = 64 * 1024;

    private sealed record Payload(string? Text);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapWebhooks(this WebApplication app) =>
        app.MapPost(Paths.Hook("{token}"), async (HttpContext http, string token, RoomWebhooks webhooks) =>
        {
            if (token.Length != 64)
                return Results.Text("no_such_webhook", statusCode: StatusCodes.Status404NotFound);
            if (http.Request.ContentLength > MaxBody || await BoundedRead.AtMost(http.Request.Body, MaxBody, http.RequestAborted) is not { } body)
                return Results.Text($"too_large: at most {MaxBody} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
            Payload? payload;
            try
            {
                payload = JsonSerializer.Deserialize<Payload>(body.AsSpan(), Json);
            }
            catch (JsonException)
            {
                return Results.Text("invalid_payload: send JSON such as {\"text\": \"Deployed.\"}", statusCode: StatusCodes.Status400BadRequest);
            }
            var result = await webhooks.Post(token, payload?.Text, http.RequestAborted);
            return Results.Text(result.Text, statusCode: result.Status);
        }).AllowAnonymous().DisableAntiforgery();
}
