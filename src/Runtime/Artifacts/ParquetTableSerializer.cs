using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Artifacts.FlatParquet;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Any <see cref="IParquetTable{TSelf}"/> as a single-row-group Parquet file that pandas, Spark and
/// DuckDB read as a plain table. The table's identity goes into the file's key-value metadata; on
/// load a different identity, a missing column or a column of another type is a type mismatch.
/// Files without our identity (written by other tools) load when their columns fit.
/// Stateless; thread-safe: one instance may serve concurrent calls, each on its own stream.
/// </summary>
public sealed class ParquetTableSerializer<T> : IArtifactSerializer<T> where T : IParquetTable<T>
{
    private readonly string _typeName;

    /// <param name="typeName">Identity written to and checked against the metadata; defaults to the type's name.</param>
    public ParquetTableSerializer(string? typeName = null) => _typeName = typeName ?? ArtifactTypeName.Of<T>();

    /// <inheritdoc/>
    public string Format => "parquet";

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void Serialize(Stream destination, T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is IFlatParquetTable flat)
        {
            var writer = new FlatParquetWriter();
            flat.AddColumns(writer);
            writer.WriteTo(destination, T.Schema, new Dictionary<string, string> { [ParquetTableMetadata.TableTypeKey] = _typeName });
            return;
        }
        AsyncBridge.Run(() => WriteAsync(destination, value, CancellationToken.None));
    }

    /// <summary>Reads a Parquet table; a non-seekable <paramref name="source"/> is buffered in memory first (the footer is at the end).</summary>
    /// <exception cref="ArtifactTypeMismatchException">The bytes are not Parquet, the file names another table type, or a column is missing or of another type.</exception>
    /// <exception cref="ArtifactCorruptException">The footer or column data cannot be read.</exception>
    public T Deserialize(Stream source, string artifactName)
    {
        // Parquet's footer sits at the end, so the reader needs to seek.
        var seekable = source.CanSeek ? source : new MemoryStream(ArtifactBytes.ReadAll(source), writable: false);
        CheckMagic(seekable, artifactName);
        return AsyncBridge.Run(() => ReadAsync(seekable, artifactName, CancellationToken.None));
    }

    private async Task WriteAsync(Stream destination, T value, CancellationToken ct)
    {
        await using var writer = await ParquetWriter.CreateAsync(T.Schema, destination, WriteOptions, cancellationToken: ct).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string> { [ParquetTableMetadata.TableTypeKey] = _typeName };
        using var group = writer.CreateRowGroup();
        await value.WriteColumnsAsync(group, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Every string column dictionary-encoded: a frame's strings are categories (instruments repeat once per
    /// date), so the column shrinks to one copy of each value plus small codes, and a reader decodes each
    /// distinct value once instead of once per row. pandas, pyarrow and DuckDB read dictionary pages natively.
    /// </summary>
    private static readonly ParquetOptions WriteOptions = CreateWriteOptions();

    private static ParquetOptions CreateWriteOptions()
    {
        var options = new ParquetOptions();
        foreach (var field in T.Schema.DataFields)
            if (IsString(field.ClrType)) options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        return options;
    }

    private async Task<T> ReadAsync(Stream source, string artifactName, CancellationToken ct)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(source, leaveStreamOpen: true, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Parquet.Net reports a damaged footer with several exception types (ParquetException,
            // Thrift protocol errors, IO and range errors); all mean the same thing to the caller.
            throw new ArtifactCorruptException(artifactName, "Parquet", $"the footer cannot be read ({e.Message})", e);
        }
        await using (reader.ConfigureAwait(false))
        {
            CheckIdentity(reader, artifactName);
            CheckColumns(reader.Schema, artifactName);
            try
            {
                return await T.ReadColumnsAsync(new ParquetTableReader(reader, source, artifactName), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not TrackingException and not OperationCanceledException)
            {
                throw new ArtifactCorruptException(artifactName, "Parquet", $"column data cannot be read ({e.Message})", e);
            }
        }
    }

    private void CheckMagic(Stream source, string artifactName)
    {
        var start = source.Position;
        Span<byte> head = stackalloc byte[16];
        var read = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        source.Position = start;
        head = head[..read];
        if (head.StartsWith("PAR1"u8)) return;
        // Not Parquet at all: say what it is (ours, or unknown) rather than "footer unreadable".
        var stored = MemoryPackEnvelope.HasMagic(head) ? DescribeEnvelope(source, artifactName) : ArtifactSniffer.Describe(head);
        throw new ArtifactTypeMismatchException(artifactName, stored, Requested);
    }

    private static string DescribeEnvelope(Stream source, string artifactName)
    {
        var start = source.Position;
        var data = ArtifactBytes.ReadAll(source);
        source.Position = start;
        return ArtifactSniffer.Describe(data);
    }

    private void CheckIdentity(ParquetReader reader, string artifactName)
    {
        if (reader.CustomMetadata is { } metadata
            && metadata.TryGetValue(ParquetTableMetadata.TableTypeKey, out var stored)
            && !string.Equals(stored, _typeName, StringComparison.Ordinal))
        {
            throw new ArtifactTypeMismatchException(artifactName, $"a Parquet table of type '{stored}'", $"'{_typeName}'");
        }
    }

    private void CheckColumns(ParquetSchema actual, string artifactName)
    {
        var problems = new List<string>();
        foreach (var expected in T.Schema.DataFields)
        {
            var found = Array.Find(actual.DataFields, f => f.Name == expected.Name);
            if (found is null) problems.Add($"column '{expected.Name}' is missing");
            else if (!SameClrType(found.ClrType, expected.ClrType))
                problems.Add($"column '{expected.Name}' holds {found.ClrType.Name}, not {expected.ClrType.Name}");
        }
        if (problems.Count == 0) return;
        var columns = string.Join(", ", actual.DataFields.Select(f => $"{f.Name}:{f.ClrType.Name}"));
        throw new ArtifactTypeMismatchException(artifactName, $"a Parquet table with columns [{columns}]", Requested, string.Join("; ", problems) + ".");
    }

    /// <summary>
    /// Parquet.Net reports some writers' string columns (DuckDB's, for one) as ReadOnlyMemory&lt;char&gt;;
    /// both are UTF-8 strings in the file and read the same way.
    /// </summary>
    private static bool SameClrType(Type actual, Type expected) =>
        actual == expected || (IsString(actual) && IsString(expected));

    private static bool IsString(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    private string Requested => $"a Parquet table of type '{_typeName}'";
}
