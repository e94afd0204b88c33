namespace Qlib.Tracked.Artifacts;

/// <summary>Whole-artifact reads, shared by serializers that need every byte before deciding anything.</summary>
internal static class ArtifactBytes
{
    public static byte[] ReadAll(Stream source)
    {
        if (source.CanSeek)
        {
            var remaining = source.Length - source.Position;
            var buffer = new byte[checked((int)remaining)];
            source.ReadExactly(buffer);
            return buffer;
        }
        using var copy = new MemoryStream();
        source.CopyTo(copy);
        return copy.ToArray();
    }
}
