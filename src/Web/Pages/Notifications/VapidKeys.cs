using System.Buffers.Text;
using System.Security.Cryptography;
using AgentRooms.Data;
using AgentRooms.Data.Notifications;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Notifications;

/// <summary>
/// The site's Web Push (VAPID) key pair: made on first use and kept in the database, so every node
/// and every restart signs with the same key and browsers' subscriptions stay valid.
/// </summary>
public sealed class VapidKeys(IServiceScopeFactory scopes)
{
    private const string Name = "vapid";
    private readonly SemaphoreSlim gate = new(1, 1);
    private (string PublicKey, string PrivateKey)? keys;

    /// <summary>Both keys, base64url: the public key as the uncompressed P-256 point, the private key as its 32 bytes.</summary>
    public async Task<(string PublicKey, string PrivateKey)> Get(CancellationToken cancel = default)
    {
        if (keys is { } known)
            return known;
        await gate.WaitAsync(cancel);
        try
        {
            if (keys is { } loaded)
                return loaded;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var stored = await db.SiteKeys.Where(k => k.Name == Name).Select(k => k.Value).FirstOrDefaultAsync(cancel);
            if (stored is null)
            {
                db.SiteKeys.Add(new SiteKey { Name = Name, Value = NewPair() });
                try
                {
                    await db.SaveChangesAsync(cancel);
                }
                catch (DbUpdateException)
                {
                    // Another node made it first: theirs is the site's.
                }
                stored = await db.SiteKeys.AsNoTracking().Where(k => k.Name == Name).Select(k => k.Value).SingleAsync(cancel);
            }
            var parts = stored.Split('.');
            keys = (parts[0], parts[1]);
            return keys.Value;
        }
        finally
        {
            gate.Release();
        }
    }

    private static string NewPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        byte[] point = [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
        return Base64Url.EncodeToString(point) + "." + Base64Url.EncodeToString(parameters.D!);
    }
}
