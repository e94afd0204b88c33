using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// Everything a migrate must carry over, as text (so a failed comparison shows the difference), with ids aside:
/// experiments by name (stage, times, tags), runs by id (info but the experiment id and artifact URI, params, tags,
/// inputs, every metric point in order, artifact bytes).
/// </summary>
public static class StoreSnapshot
{
    public static string Of(string uri, params string[] artifactRoots)
    {
        var store = TrackingStoreRegistry.Open(uri, new TrackingStoreOptions { ArtifactRoots = artifactRoots });
        try
        {
            var text = new StringBuilder();
            foreach (var experiment in store.SearchExperiments(ViewType.All).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                // Every store makes its own Default experiment: its times are the destination's, not copied.
                var times = experiment.Name == "Default" ? "" : $" created={experiment.CreationTime} updated={experiment.LastUpdateTime}";
                text.Append(CultureInfo.InvariantCulture, $"experiment {experiment.Name} {experiment.LifecycleStage}{times} tags={Pairs(experiment.Tags)}\n");
                var runs = new List<Run>();
                string? token = null;
                do
                {
                    var page = store.SearchRuns([experiment.ExperimentId], null, ViewType.All, 1000, null, token);
                    runs.AddRange(page.Items);
                    token = page.NextPageToken;
                } while (token is not null);
                foreach (var run in runs.OrderBy(r => r.Info.RunId, StringComparer.Ordinal)) AppendRun(text, store, run);
            }
            return text.ToString();
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private static void AppendRun(StringBuilder text, ITrackingStore store, Run run)
    {
        var i = run.Info;
        text.Append(CultureInfo.InvariantCulture,
            $"  run {i.RunId} name={i.RunName} user={i.UserId} {i.Status} start={i.StartTime} end={i.EndTime} {i.LifecycleStage} deleted={i.DeletedTime}\n");
        text.Append($"    params {Pairs(run.Data.Params)}\n    tags {Pairs(run.Data.Tags)}\n");
        foreach (var input in run.Inputs.OrderBy(d => d.Dataset.Name, StringComparer.Ordinal))
            text.Append($"    input {input.Dataset} {Pairs(input.Tags)}\n");
        foreach (var key in run.Data.Metrics.Keys.Order(StringComparer.Ordinal))
        {
            var points = store.GetMetricHistory(i.RunId, key).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Value:R}@{m.Timestamp}#{m.Step}"));
            text.Append($"    metric {key}: {string.Join(' ', points)}\n");
        }
        IArtifactRepository repository;
        try { repository = store.GetArtifactRepository(i.RunId); }
        catch (TrackingException e)
        {
            text.Append($"    artifacts refused: {e.Message}\n");
            return;
        }
        foreach (var path in Files(repository, null))
        {
            using var read = repository.OpenRead(path);
            text.Append($"    artifact {path} {Convert.ToHexString(SHA256.HashData(read))}\n");
        }
    }

    private static IEnumerable<string> Files(IArtifactRepository repository, string? path)
    {
        foreach (var item in repository.List(path))
        {
            if (!item.IsDir) yield return item.Path;
            else foreach (var inner in Files(repository, item.Path)) yield return inner;
        }
    }

    private static string Pairs(IReadOnlyDictionary<string, string> map) =>
        string.Join("; ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
