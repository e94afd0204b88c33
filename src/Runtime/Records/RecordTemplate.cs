using System.Diagnostics.CodeAnalysis;

namespace Qlib.Tracked.Records;

/// <summary>
/// Where a record template keeps its artifacts (Qlib's <c>artifact_path</c>), which it produces
/// (<c>list()</c>, relative to that folder) and whose outputs it needs (<c>depend_cls</c>). Immutable; thread-safe.
/// </summary>
public sealed record RecordLayout(string? ArtifactPath, IReadOnlyList<string> Artifacts, RecordLayout? DependsOn = null)
{
    /// <summary><c>get_path(name)</c>: the non-empty parts of [artifact path, name] joined with '/'.</summary>
    public string GetPath(string? name = null)
    {
        var hasFolder = !string.IsNullOrEmpty(ArtifactPath);
        var hasName = !string.IsNullOrEmpty(name);
        return hasFolder && hasName ? ArtifactPath + "/" + name : hasFolder ? ArtifactPath! : name ?? "";
    }
}

/// <summary>
/// Qlib's <c>RecordTemp</c> (qlib-semantics §3.1): a step that reads typed frames from a run, computes,
/// and stores typed frames and metrics back through the <see cref="Tracked.Recorder"/>.
/// Not thread-safe: use one template per thread.
/// </summary>
public abstract class RecordTemplate
{
    private readonly Recorder? _recorder;

    /// <summary>Creates a template recording into <paramref name="recorder"/>; null defers the error to the first use of <see cref="Recorder"/>, as Qlib's <c>RecordTemp(recorder=None)</c>.</summary>
    protected RecordTemplate(Recorder? recorder) => _recorder = recorder;

    /// <summary>The run this template records into; INVALID_STATE when none was given (Qlib's ValueError).</summary>
    public Recorder Recorder => _recorder ?? throw TrackingException.InvalidState(
        $"{GetType().Name} has no recorder: pass the run's Recorder when creating it.");

    /// <summary>This template's folder, artifacts and dependency.</summary>
    public abstract RecordLayout Layout { get; }

    /// <summary>Where progress and warnings go (Qlib's logger); nothing is written when null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary><c>get_path(name)</c>: e.g. <c>sig_analysis/ic.parquet</c> for SigAnaRecord.</summary>
    public string GetPath(string? name = null) => Layout.GetPath(name);

    /// <summary>The artifact names this template produces, relative to its folder (Qlib's <c>list()</c>).</summary>
    public IReadOnlyList<string> List() => Layout.Artifacts;

    /// <summary>
    /// Qlib's <c>load(name, parents=True)</c>: the artifact <paramref name="name"/> from this template's folder,
    /// else (with <paramref name="parents"/>) from the folder of the template it depends on, up the chain.
    /// RESOURCE_DOES_NOT_EXIST naming the last path tried when no level has it.
    /// </summary>
    public T Load<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, bool parents = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        for (var layout = Layout; ; layout = layout.DependsOn)
        {
            try
            {
                return Recorder.LoadObject<T>(layout.GetPath(name));
            }
            catch (TrackingException e) when (e.Code == ErrorCode.ResourceDoesNotExist && parents && layout.DependsOn is not null)
            {
                // Qlib retries as depend_cls: the parent's folder.
            }
        }
    }

    /// <summary>
    /// Qlib's <c>check(include_self=False, parents=True)</c>: with <paramref name="includeSelf"/>, every artifact
    /// of <see cref="List"/> must exist; with <paramref name="parents"/>, every artifact of each template up the
    /// dependency chain must. Throws <see cref="FileNotFoundException"/> naming the first missing path.
    /// </summary>
    public void Check(bool includeSelf = false, bool parents = true)
    {
        if (includeSelf) CheckLayout(Layout);
        if (!parents) return;
        for (var layout = Layout.DependsOn; layout is not null; layout = layout.DependsOn) CheckLayout(layout);
    }

    private void CheckLayout(RecordLayout layout)
    {
        foreach (var item in layout.Artifacts)
        {
            var path = layout.GetPath(item);
            var slash = path.LastIndexOf('/');
            var listed = Recorder.ListArtifacts(slash < 0 ? null : path[..slash]);
            if (!listed.Contains(path))
                throw new FileNotFoundException($"The artifact '{path}' does not exist in run {Recorder.Id}.", path);
        }
    }

    /// <summary>Saves <paramref name="value"/> as <c>GetPath(name)</c> (Qlib's <c>save(**kw)</c>).</summary>
    protected void Save<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, T value) =>
        Recorder.SaveObject(name, value, string.IsNullOrEmpty(Layout.ArtifactPath) ? null : Layout.ArtifactPath);

    /// <summary>Writes <paramref name="message"/> to <see cref="Log"/>, if any.</summary>
    protected void Info(string message) => Log?.Invoke(message);
}

/// <summary>
/// Qlib's <c>ACRecordTemp</c>: a template that checks before it generates. <see cref="Generate"/> skips
/// (returns null) when <see cref="SkipExisting"/> is set and this template's artifacts exist, or when an
/// artifact it depends on is missing; otherwise computes, saves the result, and returns it.
/// Not thread-safe: use one template per thread.
/// </summary>
public abstract class AutoCheckRecordTemplate<TResult> : RecordTemplate where TResult : class
{
    /// <summary>Creates a template recording into <paramref name="recorder"/>.</summary>
    /// <param name="recorder">The run to read from and write to; null defers the error to first use.</param>
    /// <param name="skipExisting">See <see cref="SkipExisting"/>.</param>
    protected AutoCheckRecordTemplate(Recorder? recorder, bool skipExisting) : base(recorder) => SkipExisting = skipExisting;

    /// <summary>Skip generation when this template's own artifacts are already in the run.</summary>
    public bool SkipExisting { get; }

    /// <summary>Runs the template; null when skipped (already generated, missing dependencies, or nothing to compute).</summary>
    public TResult? Generate()
    {
        if (SkipExisting && Exists(includeSelf: true, parents: false))
        {
            Info("The results has previously generated, Generation skipped.");
            return null;
        }
        try
        {
            Check();
        }
        catch (FileNotFoundException e)
        {
            Info($"The dependent data does not exists. Generation skipped. ({e.Message})");
            return null;
        }
        var result = GenerateCore();
        if (result is not null) SaveResult(result);
        return result;
    }

    /// <summary>Computes (and logs metrics); null when there is nothing to save.</summary>
    protected abstract TResult? GenerateCore();

    /// <summary>Stores the artifacts of <paramref name="result"/> (Qlib saves the returned dict).</summary>
    protected abstract void SaveResult(TResult result);

    private bool Exists(bool includeSelf, bool parents)
    {
        try
        {
            Check(includeSelf, parents);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
