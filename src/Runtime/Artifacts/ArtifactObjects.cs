using System.Diagnostics.CodeAnalysis;
namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Qlib's save_objects/load_object for typed values: one artifact per object, written atomically
/// with the serializer <see cref="ArtifactSerializers"/> picks (or the one passed in).
/// </summary>
public static class ArtifactObjects
{
    private const int MaxListed = 50;

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/>; a failure leaves any old artifact intact.</summary>
    public static void Save<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(IArtifactRepository repo, string path, T value, IArtifactSerializer<T>? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(repo);
        Write(repo, path, value, serializer ?? ArtifactSerializers.For<T>());
    }

    /// <summary>
    /// <see cref="Save"/> with a serializer chosen by the caller (generated code picks it at compile
    /// time), so no type lookup and no trimming annotation is involved.
    /// </summary>
    public static void Write<T>(IArtifactRepository repo, string path, T value, IArtifactSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(serializer);
        if (value is null)
            throw TrackingException.InvalidParameter($"Cannot save artifact '{path}': the value is null (null objects are not stored).");
        var stream = repo.OpenWrite(path);
        if (stream is IAbortableWriteStream abortable)
        {
            using (stream)
            {
                try { serializer.Serialize(stream, value); }
                catch { abortable.Abort(); throw; }
            }
            return;
        }
        // Another repository's stream may not support aborting: serialize fully before publishing.
        stream.Dispose();
        using var buffer = new MemoryStream();
        serializer.Serialize(buffer, value);
        repo.Write(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>
    /// Reads the artifact at <paramref name="path"/> as <typeparamref name="T"/>. A missing artifact is
    /// RESOURCE_DOES_NOT_EXIST listing what the nearest existing level holds.
    /// </summary>
    public static T Load<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(IArtifactRepository repo, string path, IArtifactSerializer<T>? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(repo);
        return Read(repo, path, serializer ?? ArtifactSerializers.For<T>());
    }

    /// <summary><see cref="Load"/> with a serializer chosen by the caller (no type lookup).</summary>
    public static T Read<T>(IArtifactRepository repo, string path, IArtifactSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(serializer);
        Stream stream;
        try
        {
            stream = repo.OpenRead(path);
        }
        catch (TrackingException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            throw new TrackingException(ErrorCode.ResourceDoesNotExist, MissingMessage(repo, path), e);
        }
        using (stream) return serializer.Deserialize(stream, path);
    }

    /// <summary>Names the missing path and shows the nearest existing level, Qlib's missing "did you mean".</summary>
    private static string MissingMessage(IArtifactRepository repo, string path)
    {
        var segments = ArtifactPath.Normalize(path);
        var level = segments[..^1];
        IReadOnlyList<Entities.ArtifactInfo> entries = repo.List(ArtifactPath.Join(level));
        while (entries.Count == 0 && level.Length > 0)
        {
            level = level[..^1];
            entries = repo.List(ArtifactPath.Join(level));
        }
        var where = level.Length == 0 ? "the artifact root" : $"'{ArtifactPath.Join(level)}'";
        var message = $"Artifact '{path}' does not exist in '{repo.ArtifactUri}'.";
        if (entries.Count == 0) return message + " The run has no artifacts.";
        var names = entries.Take(MaxListed).Select(e => e.IsDir ? e.Path + "/" : e.Path);
        message += $" {where} holds: {string.Join(", ", names)}" + (entries.Count > MaxListed ? $", … ({entries.Count} in all)." : ".");
        var wanted = segments[^1];
        var guess = entries.FirstOrDefault(e => !e.IsDir && IsNear(LastSegment(e.Path), wanted));
        return guess is null ? message : message + $" Did you mean '{guess.Path}'?";
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Same name ignoring case or extension (<c>pred</c> for <c>pred.pkl</c>, <c>Pred.pkl</c> for <c>pred.pkl</c>).</summary>
    private static bool IsNear(string candidate, string wanted) =>
        candidate.Equals(wanted, StringComparison.OrdinalIgnoreCase)
        || Path.GetFileNameWithoutExtension(candidate).Equals(Path.GetFileNameWithoutExtension(wanted), StringComparison.OrdinalIgnoreCase);
}
