using System.Globalization;
using System.Net;

namespace Qlib.Tracked.Web.Listening;

/// <summary>
/// Where the UI listens and which Host headers it answers, worked out from <see cref="WebOptions"/> before
/// anything is bound: every host is checked by <see cref="BindHost"/>, a bind beyond loopback comes with a
/// <see cref="Warning"/>, and <c>--allow-writes</c> beyond loopback is refused (there is no authentication yet).
/// </summary>
public sealed class ListenPlan
{
    private ListenPlan(IReadOnlyList<string> urls, IReadOnlyList<string> allowedHosts, string? warning)
    {
        Urls = urls;
        AllowedHosts = allowedHosts;
        Warning = warning;
    }

    /// <summary>The URLs handed to Kestrel: IP literals only (or <c>localhost</c>, which Kestrel binds to loopback).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>
    /// Host header values (without port) the UI answers: the loopback names for a loopback or every-interface
    /// bind, and the names and addresses the user bound to. Any other Host is refused, so a page whose name was
    /// pointed at this machine (DNS rebinding) cannot read the API.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; }

    /// <summary>What a user must be told before the UI serves beyond loopback; null when only this machine can connect.</summary>
    public string? Warning { get; }

    /// <summary>Checks and resolves the options' host(s). Throws INVALID_PARAMETER_VALUE naming the option and value.</summary>
    public static ListenPlan For(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = Endpoints(options);
        var urls = new List<string>();
        var allowed = new List<string>();
        var exposed = new List<(string Option, BindHost Host, int Port)>();
        foreach (var (option, scheme, hostText, port) in endpoints)
        {
            var host = BindHost.Resolve(hostText, option);
            if (host.IsLocalhostName)
            {
                // Kestrel binds "localhost" to 127.0.0.1 and ::1 (whichever exist) but cannot pick one free port for both.
                urls.Add(port == 0 ? $"{scheme}://127.0.0.1:0" : $"{scheme}://localhost:{Port(port)}");
            }
            else
            {
                // Port 0 picks a free port per address, so a name with several addresses is bound on its first only.
                foreach (var address in port == 0 ? host.Addresses.Take(1) : host.Addresses)
                    urls.Add($"{scheme}://{BindHost.Format(address)}:{Port(port)}");
            }
            if (host.IsLoopback || host.IsWildcard) allowed.AddRange(LoopbackNames);
            if (!host.IsLoopback) exposed.Add((option, host, port));
            if (!host.IsLocalhostName && !IPAddress.TryParse(hostText.Trim('[', ']'), out _)) allowed.Add(hostText.TrimEnd('.'));
            allowed.AddRange(host.Addresses.Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)).Select(BindHost.Format));
            if (host.IsWildcard)
            {
                allowed.Add(Dns.GetHostName());
                allowed.AddRange(LocalAddresses.All().Select(BindHost.Format));
            }
        }

        if (exposed.Count > 0 && options.AllowWrites)
        {
            var (option, host, _) = exposed[0];
            throw TrackingException.InvalidParameter(
                $"--allow-writes is refused with {option} {host.Given}: that is not a loopback address, so anyone who can reach the port "
                + "could delete, restore and rename runs, and qtrack ui has no authentication yet. Serve writes on 127.0.0.1 (the default) "
                + "and reach them from another machine through an SSH tunnel, or leave out --allow-writes to serve read-only.");
        }
        return new ListenPlan(urls, allowed.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), exposed.Count == 0 ? null : WarningFor(exposed));
    }

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string WarningFor(List<(string Option, BindHost Host, int Port)> exposed)
    {
        var (option, host, port) = exposed[0];
        var where = host.IsWildcard
            ? $"{option} {host.Given} listens on every network interface"
            : $"{option} {host.Given} ({string.Join(", ", host.Addresses)}) is not a loopback address";
        var portText = port == 0 ? "its port" : "port " + Port(port);
        var tunnel = port == 0 ? "PORT" : Port(port);
        return $"{where}: anyone who can reach {portText} on this machine can read every run, parameter, metric and artifact in the store "
            + "(qtrack ui has no authentication). To use the UI from another machine, keep the default 127.0.0.1 and forward the port "
            + $"through SSH (ssh -L {tunnel}:127.0.0.1:{tunnel} THIS-MACHINE).";
    }

    /// <summary>(option as named in errors, scheme, host, port) for each place to listen.</summary>
    private static List<(string Option, string Scheme, string Host, int Port)> Endpoints(WebOptions options)
    {
        if (options.Urls is not { Count: > 0 } urls)
        {
            if (options.Port is < 0 or > 65535)
                throw TrackingException.InvalidParameter($"--port must be 0-65535 (0 picks a free port), got {Port(options.Port)}.");
            return [("--host", "http", options.Host, options.Port)];
        }
        var result = new List<(string, string, string, int)>();
        foreach (var url in urls)
        {
            var option = $"--urls entry '{url}':";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
                || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0)
            {
                throw TrackingException.InvalidParameter(
                    $"--urls entry '{url}' is not a URL of the form http://HOST:PORT (HOST an IP address of this machine or a name "
                    + "resolving to one; 0.0.0.0 or [::] for every interface).");
            }
            result.Add((option + " host", uri.Scheme, uri.Host, uri.Port));
        }
        return result;
    }
}
