using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentRooms.Tests.Support;

/// <summary>Reads Prometheus's text format as a scraper would.</summary>
public static class Scrape
{
    /// <summary>The value of a metric's first sample whose labels contain <paramref name="label"/>, or -1 when there is none.</summary>
    public static double Value(string scrape, string name, string label = "")
    {
        foreach (var line in scrape.Split('\n'))
        {
            var match = Regex.Match(line, $"^{Regex.Escape(name)}(\\{{[^}}]*\\}})? ([^ ]+)");
            if (match.Success && match.Groups[1].Value.Contains(label))
                return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return -1;
    }
}
