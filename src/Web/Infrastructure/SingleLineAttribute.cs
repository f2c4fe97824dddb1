using System.ComponentModel.DataAnnotations;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// A name shown on one line: no line breaks or other control characters. Names reach pages, titles
/// and the model's context; a line break in one could pass for the start of someone else's line.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SingleLineAttribute() : ValidationAttribute("Names are one line, without control characters.")
{
    public override bool IsValid(object? value) => value is not string text || !text.Any(char.IsControl);
}
