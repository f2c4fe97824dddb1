using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Tools;

/// <summary>
/// Which tools a reply must ask the person who asked before calling: those the site administrator
/// marked on <c>/admin/tools</c>, and, until they choose, those whose server says in its annotations
/// that they change something (not read-only, or destructive).
/// </summary>
public sealed class ToolRules(AppDbContext db)
{
    /// <summary>What a tool's server says, before the administrator chooses.</summary>
    public static bool AsksByDefault(OfferedTool tool) =>
        tool.Tool.ProtocolTool.Annotations is { } said && (said.ReadOnlyHint == false || said.DestructiveHint == true);

    /// <summary>The ids (<c>server/tool</c>) of those of <paramref name="tools"/> that need approval.</summary>
    public async Task<IReadOnlySet<string>> NeedingApproval(IReadOnlyCollection<OfferedTool> tools, CancellationToken cancel = default)
    {
        if (tools.Count == 0)
            return new HashSet<string>();
        var ids = tools.Select(t => t.Id).ToList();
        var chosen = await db.ToolRules.AsNoTracking().Where(r => ids.Contains(r.Tool)).ToDictionaryAsync(r => r.Tool, r => r.NeedsApproval, cancel);
        return tools.Where(t => chosen.TryGetValue(t.Id, out var needs) ? needs : AsksByDefault(t)).Select(t => t.Id).ToHashSet();
    }

    /// <summary>The administrator's choice for one tool.</summary>
    public async Task Set(string tool, bool needsApproval)
    {
        var updated = await db.ToolRules.Where(r => r.Tool == tool).ExecuteUpdateAsync(r => r.SetProperty(x => x.NeedsApproval, needsApproval));
        if (updated == 0)
        {
            db.ToolRules.Add(new ToolRule { Tool = tool, NeedsApproval = needsApproval });
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                // Set at the same moment elsewhere: the other choice stands, as if made just after.
            }
        }
    }
}
