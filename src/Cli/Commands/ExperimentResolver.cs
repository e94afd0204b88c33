using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>Turns the <c>--experiment NAME|ID</c> values into experiment ids.</summary>
internal static class ExperimentResolver
{
    /// <summary>
    /// Each value is an experiment id when one has that id (ids are MLflow's digit strings), else a name,
    /// active experiments first and then deleted ones (so <c>--view deleted</c> can reach runs of a deleted
    /// experiment). Duplicates are dropped, order kept. An unknown value is RESOURCE_DOES_NOT_EXIST.
    /// </summary>
    public static IReadOnlyList<string> Resolve(ITrackingStore store, IReadOnlyList<string> values)
    {
        var ids = new List<string>();
        IReadOnlyList<ExperimentInfo>? all = null;
        foreach (var value in values)
        {
            var id = FindById(store, value)
                ?? store.GetExperimentByName(value)?.ExperimentId
                ?? (all ??= store.SearchExperiments(ViewType.All)).FirstOrDefault(e => e.Name == value)?.ExperimentId
                ?? throw TrackingException.DoesNotExist(
                    $"No experiment has the name or id '{value}'. Run 'qtrack experiments --view all' to list them.");
            if (!ids.Contains(id)) ids.Add(id);
        }
        return ids;
    }

    private static string? FindById(ITrackingStore store, string value)
    {
        if (value.Length == 0 || !value.All(char.IsAsciiDigit)) return null;
        try
        {
            return store.GetExperiment(value).ExperimentId;
        }
        // An id the store cannot even parse (too long, say) may still be an experiment's name.
        catch (TrackingException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.InvalidParameterValue)
        {
            return null;
        }
    }

    /// <summary>The ids of every active experiment (what a search without <c>--experiment</c> covers).</summary>
    public static IReadOnlyList<string> AllActive(ITrackingStore store) =>
        store.SearchExperiments(ViewType.ActiveOnly).Select(e => e.ExperimentId).ToArray();
}
