namespace AgentRooms.Web.Pages.Attachments;

/// <summary>
/// A GIF copied block by block with only what draws it: the screen and colour tables, each frame's
/// timing (graphic control) and pixels, and the looping block browsers read (NETSCAPE2.0). Comments,
/// plain-text blocks and every other application block (XMP, editors' notes) are left out. A file cut
/// short is copied up to where it breaks, and ended properly.
/// </summary>
public static class GifMetadata
{
    private const byte Extension = 0x21, ImageDescriptor = 0x2C, Trailer = 0x3B;
    private const byte GraphicControl = 0xF9, Application = 0xFF;

    public static void CopyWithout(string source, string destination)
    {
        var gif = File.ReadAllBytes(source);
        using var output = File.Create(destination);
        var at = 0;
        if (!Take(gif, ref at, 13, output)) // header and logical screen descriptor
            return;
        if ((gif[10] & 0x80) != 0 && !Take(gif, ref at, ColourTable(gif[10]), output))
            return;
        while (at < gif.Length)
        {
            var start = at;
            switch (gif[at])
            {
                case ImageDescriptor:
                    if (at + 10 > gif.Length)
                        goto End;
                    var local = (gif[at + 9] & 0x80) != 0 ? ColourTable(gif[at + 9]) : 0;
                    at += 10 + local + 1; // descriptor, local colours, LZW code size
                    if (at > gif.Length || !SkipSubBlocks(gif, ref at))
                        goto End;
                    output.Write(gif, start, at - start);
                    break;
                case Extension:
                    if (at + 2 > gif.Length)
                        goto End;
                    var label = gif[at + 1];
                    at += 2;
                    if (!SkipSubBlocks(gif, ref at))
                        goto End;
                    if (label == GraphicControl || label == Application && IsLooping(gif, start + 2))
                        output.Write(gif, start, at - start);
                    break;
                default:
                    goto End; // the trailer, or something no GIF holds: nothing after it is drawn
            }
        }
        End:
        output.WriteByte(Trailer);
    }

    private static int ColourTable(byte packed) => 3 * (1 << ((packed & 0x07) + 1));

    private static bool Take(byte[] gif, ref int at, int count, Stream output)
    {
        if (at + count > gif.Length)
        {
            output.WriteByte(Trailer);
            return false;
        }
        output.Write(gif, at, count);
        at += count;
        return true;
    }

    /// <summary>Moves past a chain of data sub-blocks and its terminator; false when the file ends first.</summary>
    private static bool SkipSubBlocks(byte[] gif, ref int at)
    {
        while (at < gif.Length)
        {
            var size = gif[at++];
            if (size == 0)
                return true;
            at += size;
        }
        return false;
    }

    /// <summary>An application block naming NETSCAPE2.0 or ANIMEXTS1.0: the loop count.</summary>
    private static bool IsLooping(byte[] gif, int firstSubBlock) =>
        firstSubBlock + 12 <= gif.Length && gif[firstSubBlock] == 11
        && System.Text.Encoding.ASCII.GetString(gif, firstSubBlock + 1, 11) is "NETSCAPE2.0" or "ANIMEXTS1.0";
}
