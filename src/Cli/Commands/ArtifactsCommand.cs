using System.CommandLine;
using System.Globalization;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Tool.Output;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack artifacts RUN [PATH]</c>: one level of a run's artifact tree (as <c>mlflow artifacts list</c>),
/// or the whole tree below PATH with <c>--recursive</c>.
/// </summary>
internal static class ArtifactsCommand
{
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("RUN") { Description = "The run id." };
        var path = new Argument<string?>("PATH")
        {
            Description = "A folder (or file) below the run's artifact root (default: the root).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "List everything below PATH, folders before their content." };
        var format = CommonOptions.TabularFormat();
        var command = new Command("artifacts", "List a run's artifacts: path, file or folder, size in bytes.") { runId, path, recursive, format };
        command.SetAction(parsed => context.Execute(() =>
        {
            using var store = context.OpenStore(parsed);
            var repository = store.GetArtifactRepository(parsed.GetValue(runId)!);
            var entries = List(repository, parsed.GetValue(path), parsed.GetValue(recursive));
            switch (parsed.GetValue(format))
            {
                case CommonOptions.Json:
                    RunJson.WriteDocument(context.Out, writer =>
                    {
                        writer.WriteStartArray();
                        foreach (var entry in entries) ArtifactJson.Write(writer, entry);
                        writer.WriteEndArray();
                    });
                    break;
                case CommonOptions.Csv:
                    CsvText.WriteRow(context.Out, "path", "is_dir", "file_size");
                    foreach (var e in entries)
                        CsvText.WriteRow(context.Out, e.Path, e.IsDir ? "true" : "false", e.FileSize?.ToString(CultureInfo.InvariantCulture) ?? "");
                    break;
                default:
                    var table = new TextTable("path", "type", "size").AlignRight(2);
                    foreach (var e in entries)
                        table.AddRow(e.IsDir ? e.Path + "/" : e.Path, e.IsDir ? "dir" : "file", e.FileSize?.ToString(CultureInfo.InvariantCulture) ?? "");
                    table.Write(context.Out);
                    context.Out.WriteLine($"{entries.Count(e => !e.IsDir)} file(s), {entries.Count(e => e.IsDir)} folder(s)");
                    break;
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// The entries below <paramref name="path"/>. A path naming a file lists that file; a path naming
    /// nothing is an error (MLflow returns an empty list, which hides typos). The root of a run that
    /// never logged an artifact is an empty list.
    /// </summary>
    internal static List<ArtifactInfo> List(IArtifactRepository repository, string? path, bool recursive)
    {
        var isRoot = string.IsNullOrEmpty(path) || path.Split('/').All(s => s is "" or ".");
        if (!isRoot)
        {
            if (!repository.Exists(path!))
                throw TrackingException.DoesNotExist($"Artifact '{path}' does not exist under '{repository.ArtifactUri}'.");
            var local = repository.GetLocalPath(path!);
            if (local is not null && File.Exists(local))
                return [new ArtifactInfo(Canonical(path!), false, new FileInfo(local).Length)];
        }
        var all = new List<ArtifactInfo>();
        void Walk(string? folder)
        {
            foreach (var entry in repository.List(folder))
            {
                all.Add(entry);
                if (recursive && entry.IsDir) Walk(entry.Path);
            }
        }
        Walk(isRoot ? null : path);
        return all;
    }

    /// <summary>The path as listings spell it: no empty or '.' segments, '..' applied (the repository already refused any that climb out).</summary>
    private static string Canonical(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..") segments.RemoveAt(segments.Count - 1);
            else segments.Add(segment);
        }
        return string.Join('/', segments);
    }
}
