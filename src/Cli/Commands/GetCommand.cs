using System.CommandLine;
using System.Globalization;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack get RUN PATH [--out FILE|DIR|-]</c>: copies one artifact file, or a folder recursively, out
/// of a run. The copy goes through the run's artifact repository, so PATH is confined to the run's
/// artifact root (no '..' above it, no absolute path, no symlink leading out) like every artifact read.
/// </summary>
internal static class GetCommand
{
    private const string Stdout = "-";

    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("RUN") { Description = "The run id." };
        var path = new Argument<string>("PATH") { Description = "The artifact file or folder, relative to the run's artifact root." };
        var output = new Option<string?>("--out")
        {
            Description = "Where to copy: a new path, an existing folder to copy into, or '-' to write a file to stdout (default: the current folder).",
            HelpName = "FILE|DIR|-",
        }.NotBlank();
        var force = new Option<bool>("--force") { Description = "Replace the destination if it exists." };
        var command = new Command("get", "Copy an artifact file or folder out of a run.") { runId, path, output, force };
        command.SetAction(parsed => context.Execute(() =>
        {
            using var store = context.OpenStore(parsed);
            var repository = store.GetArtifactRepository(parsed.GetValue(runId)!);
            var artifact = parsed.GetValue(path)!;
            if (!repository.Exists(artifact))
                throw TrackingException.DoesNotExist($"Artifact '{artifact}' does not exist under '{repository.ArtifactUri}'.");
            var isFile = repository.GetLocalPath(artifact) is { } local && File.Exists(local);
            var destination = parsed.GetValue(output);

            if (destination == Stdout)
            {
                if (!isFile)
                    throw TrackingException.InvalidParameter($"Invalid --out '-' for artifact '{artifact}': it is a folder, and only a file can be written to stdout; give --out DIR.");
                using var content = repository.OpenRead(artifact);
                context.CopyToOut(content);
                return ExitCodes.Success;
            }

            var target = Destination(destination, ArtifactName(artifact));
            var copied = CopyOut(repository, artifact, target, parsed.GetValue(force));
            context.Out.WriteLine(isFile
                ? string.Create(CultureInfo.InvariantCulture, $"Copied '{artifact}' ({copied.Bytes} bytes) to {target}")
                : string.Create(CultureInfo.InvariantCulture, $"Copied folder '{artifact}' ({copied.Files} file(s), {copied.Bytes} bytes) to {target}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The last segment of the artifact path; "artifacts" for the root.</summary>
    private static string ArtifactName(string artifact)
    {
        var last = artifact.Split('/').LastOrDefault(s => s is not ("" or "."));
        return last ?? "artifacts";
    }

    /// <summary>An existing folder receives the artifact under its own name; anything else is the new path itself.</summary>
    private static string Destination(string? requested, string name)
    {
        if (string.IsNullOrEmpty(requested)) return Path.GetFullPath(name);
        var full = Path.GetFullPath(requested);
        if (Directory.Exists(full)) return Path.Combine(full, name);
        var parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent))
            throw TrackingException.DoesNotExist($"Cannot write to '{requested}': the folder '{parent}' does not exist.");
        return full;
    }

    /// <summary>
    /// Downloads into a temp folder next to <paramref name="target"/>, then moves the result into place with
    /// one rename, so an interrupted or refused copy never leaves a half-written destination.
    /// </summary>
    private static (int Files, long Bytes) CopyOut(IArtifactRepository repository, string artifact, string target, bool force)
    {
        var exists = File.Exists(target) || Directory.Exists(target);
        if (exists && !force)
            throw TrackingException.AlreadyExists($"Cannot copy '{artifact}' to '{target}': it already exists (pass --force to replace it).");
        var staging = Path.Combine(Path.GetDirectoryName(target)!, $".qtrack-get-{Guid.NewGuid():N}");
        try
        {
            var downloaded = repository.Download(artifact, staging);
            var (files, bytes) = Measure(downloaded);
            if (File.Exists(target)) File.Delete(target);
            else if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            if (File.Exists(downloaded)) File.Move(downloaded, target);
            else Directory.Move(downloaded, target);
            return (files, bytes);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static (int Files, long Bytes) Measure(string path)
    {
        if (File.Exists(path)) return (1, new FileInfo(path).Length);
        var files = new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        return (files.Count, files.Sum(f => f.Length));
    }
}
