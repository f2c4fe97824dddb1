namespace AgentRooms.Web.Infrastructure;

/// <summary>Reading a small body (a form field, a JSON document) without ever holding more than its limit.</summary>
public static class BoundedRead
{
    /// <summary>All of <paramref name="body"/> if it is at most <paramref name="limit"/> bytes; null as soon as it is longer.</summary>
    public static async Task<ArraySegment<byte>?> AtMost(Stream body, int limit, CancellationToken cancel = default)
    {
        var buffer = new byte[limit + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancel)) > 0)
            length += read;
        return length > limit ? (ArraySegment<byte>?)null : new ArraySegment<byte>(buffer, 0, length);
    }
}
