using System.Net.Http.Headers;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Rest;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A run's artifacts kept behind a tracking server's artifact proxy (<c>mlflow server --serve-artifacts</c>;
/// <c>mlflow-artifacts:/…</c> and <c>http(s)://…/api/2.0/mlflow-artifacts/artifacts/…</c> artifact URIs): PUT uploads,
/// GET with <c>?path=</c> lists one level, GET downloads. Bodies are streamed both ways — uploads from a file, downloads
/// into the caller's stream or a file — so an artifact is never held in memory whole. Paths are checked as
/// <see cref="LocalArtifactRepository"/> checks them before anything is sent.
/// Thread-safe: it holds only its root and a shared HTTP client; each call is its own request.
/// </summary>
public sealed class ProxiedArtifactRepository : IArtifactRepository
{
    private readonly MlflowHttpClient _server;
    private readonly string[] _root;

    /// <param name="server">The tracking server that proxies the artifacts (its connection pool is shared, not owned).</param>
    /// <param name="artifactUri">The run's artifact URI as the server recorded it (reported in messages).</param>
    /// <param name="rootPath">The run's artifact root below the proxy (<c>1/&lt;run id&gt;/artifacts</c>).</param>
    public ProxiedArtifactRepository(MlflowHttpClient server, string artifactUri, string rootPath)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        ArtifactUri = artifactUri;
        _root = rootPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <inheritdoc/>
    public string ArtifactUri { get; }

    /// <inheritdoc/>
    public IReadOnlyList<ArtifactInfo> List(string? path = null)
    {
        var segments = ArtifactPath.Normalize(path);
        var prefix = segments.Length == 0 ? "" : ArtifactPath.Join(segments) + "/";
        var route = MlflowRoutes.ArtifactProxy;
        var answer = _server.Get(route, [new("path", string.Join('/', [.. _root, .. segments]))], MlflowJsonContext.Default.ListArtifactsResponse);
        var entries = new List<ArtifactInfo>(answer.Files?.Count ?? 0);
        try
        {
            for (var i = 0; i < (answer.Files?.Count ?? 0); i++)
            {
                var entry = ProtocolMapping.ToArtifactInfo(answer.Files![i], prefix, $"files[{i}]");
                // A name the server lists but no path check would pass (".." or "/x") is never advertised.
                if (!IsPlainName(answer.Files[i].Path!)) continue;
                entries.Add(entry);
            }
        }
        catch (MlflowProtocolException e)
        {
            throw new RestTrackingException(ErrorCode.InternalError,
                $"MLflow tracking server {_server.Endpoint.Display} listed artifacts of '{ArtifactUri}' with an incomplete message: {e.Message}",
                "GET " + route, 200, null, e);
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <inheritdoc/>
    public void LogArtifact(string localPath, string? artifactPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        var target = ArtifactPath.Normalize(artifactPath);
        var source = Path.GetFullPath(localPath);
        if (File.Exists(source))
        {
            Upload(source, [.. target, Path.GetFileName(source)]);
        }
        else if (Directory.Exists(source))
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file).Split(Path.DirectorySeparatorChar);
                Upload(file, [.. target, .. relative]);
            }
        }
        else
        {
            throw TrackingException.DoesNotExist($"Cannot log artifact: local path '{localPath}' is neither a file nor a directory.");
        }
    }

    /// <inheritdoc/>
    public void Write(string path, ReadOnlySpan<byte> content)
    {
        var segments = ArtifactPath.NormalizeFile(path);
        var bytes = content.ToArray();
        Put(segments, () => new ByteArrayContent(bytes));
    }

    /// <summary>Spools to a temp file and uploads it when disposed (streamed from disk; nothing is sent if aborted).</summary>
    public Stream OpenWrite(string path)
    {
        var segments = ArtifactPath.NormalizeFile(path);
        return new UploadOnDisposeStream(file => Put(segments, () => new StreamContent(OpenForUpload(file), 81920)));
    }

    /// <summary>The artifact's bytes as they arrive (dispose the stream to release the connection).</summary>
    public Stream OpenRead(string path)
    {
        var segments = ArtifactPath.NormalizeFile(path);
        var route = FileRoute(segments);
        var response = _server.Send(HttpMethod.Get, MlflowRoutes.ArtifactProxy, route, null, RetrySafety.ArtifactDownload, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            RestTrackingException failure;
            using (response) failure = _server.Fail(response, "GET " + MlflowRoutes.ArtifactProxy);
            // MLflow's proxy answers a missing file with 404 or, over a local artifact store, 500 INTERNAL_ERROR from the
            // failed copy: the listing tells which.
            if (!ExistsAsFile(segments))
            {
                if (List(ArtifactPath.Join(segments)).Count > 0)
                    throw ArtifactPath.Invalid(path, "names an artifact directory; only files can be opened");
                throw TrackingException.DoesNotExist($"Artifact '{path}' does not exist under '{ArtifactUri}'.");
            }
            if (failure.HttpStatus != 500) throw failure;
            // The file is there, so the 500 was the server's own trouble: now retried like any read.
            response = _server.Send(HttpMethod.Get, MlflowRoutes.ArtifactProxy, route, null, RetrySafety.Idempotent, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                using (response) throw _server.Fail(response, "GET " + MlflowRoutes.ArtifactProxy);
            }
        }
        return new ResponseStream(response);
    }

    /// <inheritdoc/>
    public bool Exists(string path)
    {
        var segments = ArtifactPath.Normalize(path);
        if (segments.Length == 0) return true;
        var parent = ArtifactPath.Join(segments[..^1]);
        var wanted = ArtifactPath.Join(segments);
        return List(parent).Any(e => e.Path == wanted);
    }

    /// <inheritdoc/>
    public string Download(string path, string? destination = null)
    {
        var segments = ArtifactPath.Normalize(path);
        var destRoot = destination is null
            ? Directory.CreateTempSubdirectory("qlib-artifacts-").FullName
            : Path.GetFullPath(destination);
        var target = segments.Length == 0 ? destRoot : Path.Combine([destRoot, .. segments]);
        if (segments.Length > 0 && ExistsAsFile(segments))
        {
            DownloadFile(segments, target);
            return target;
        }
        var entries = List(ArtifactPath.Join(segments));
        if (entries.Count == 0 && segments.Length > 0 && !Exists(path))
            throw TrackingException.DoesNotExist($"Artifact '{path}' does not exist under '{ArtifactUri}'.");
        Directory.CreateDirectory(target);
        DownloadFolder(entries, destRoot, depth: 0);
        return target;
    }

    /// <summary>Null: the artifacts are on the server, not in a local folder.</summary>
    public string? GetLocalPath(string path)
    {
        ArtifactPath.Normalize(path);
        return null;
    }

    // ----- transfers -----

    private void Upload(string localFile, string[] segments) =>
        Put(segments, () => new StreamContent(new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 81920), 81920));

    private void Put(string[] segments, Func<HttpContent> content)
    {
        var route = FileRoute(segments);
        using var response = _server.Send(HttpMethod.Put, MlflowRoutes.ArtifactProxy, route, () =>
        {
            var body = content();
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return body;
        }, RetrySafety.Idempotent, HttpCompletionOption.ResponseContentRead);
        if (!response.IsSuccessStatusCode) throw _server.Fail(response, "PUT " + MlflowRoutes.ArtifactProxy);
    }

    private void DownloadFile(string[] segments, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var source = OpenRead(ArtifactPath.Join(segments));
        // Replaced whole, so an interrupted download never leaves a torn file under the real name.
        using var output = new AtomicWriteStream(target);
        try { source.CopyTo(output, 81920); }
        catch { output.Abort(); throw; }
    }

    private void DownloadFolder(IReadOnlyList<ArtifactInfo> entries, string destRoot, int depth)
    {
        if (depth > 64)
            throw TrackingException.InvalidState($"Artifact folders under '{ArtifactUri}' nest more than 64 levels deep.");
        foreach (var entry in entries)
        {
            var segments = ArtifactPath.Normalize(entry.Path);
            var target = Path.Combine([destRoot, .. segments]);
            if (entry.IsDir)
            {
                Directory.CreateDirectory(target);
                DownloadFolder(List(entry.Path), destRoot, depth + 1);
            }
            else
            {
                DownloadFile(segments, target);
            }
        }
    }

    private bool ExistsAsFile(string[] segments)
    {
        var wanted = ArtifactPath.Join(segments);
        return List(ArtifactPath.Join(segments[..^1])).Any(e => e.Path == wanted && !e.IsDir);
    }

    private string FileRoute(string[] segments) =>
        MlflowRoutes.ArtifactProxy + "/" + string.Join('/', _root.Concat(segments).Select(Uri.EscapeDataString));

    private static bool IsPlainName(string name) =>
        name.Length > 0 && !name.Contains('/') && !name.Contains('\\') && name is not ("." or "..") && !name.Contains('\0');

    private static FileStream OpenForUpload(string file) => new(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);

    /// <summary>The body of a download; disposing it releases the HTTP response (and so the connection).</summary>
    private sealed class ResponseStream(HttpResponseMessage response) : Stream
    {
        private readonly Stream _body = response.Content.ReadAsStream();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException("The server sent no Content-Length.");
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => _body.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _body.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _body.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _body.Dispose();
                response.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
