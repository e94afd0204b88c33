using System.Net;
using System.Net.Sockets;

namespace Qlib.Tracked.Web.Listening;

/// <summary>
/// One host the UI was told to listen on (<c>--host</c>, or the host of a <c>--urls</c> entry), checked and
/// resolved to this machine's addresses. Anything that is not an IP address of this machine or a name resolving
/// to one is refused here: Kestrel binds every interface for a host it does not recognise, so a typo such as
/// <c>localhostt</c> would otherwise expose the store to the network without a word.
/// </summary>
internal sealed record BindHost(string Given, IReadOnlyList<IPAddress> Addresses, bool IsLocalhostName)
{
    /// <summary>How long a name may take to resolve before it counts as not resolving.</summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(10);

    private const string Rule = "it takes an IP address of this machine (127.0.0.1 or ::1 for this machine only, 0.0.0.0 or :: for every "
        + "network interface) or a host name that resolves to one (localhost is loopback)";

    /// <summary>True when only this machine can connect: every address is a loopback address.</summary>
    public bool IsLoopback => Addresses.All(IPAddress.IsLoopback);

    /// <summary>True for 0.0.0.0 or :: (every interface).</summary>
    public bool IsWildcard => Addresses.Any(a => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any));

    /// <summary>
    /// Checks and resolves <paramref name="given"/>. <paramref name="option"/> names where it came from
    /// (<c>--host</c>, <c>--urls entry 'http://…'</c>) in the error, which is INVALID_PARAMETER_VALUE.
    /// </summary>
    public static BindHost Resolve(string given, string option)
    {
        ArgumentNullException.ThrowIfNull(given);
        var text = given.Length > 2 && given[0] == '[' && given[^1] == ']' ? given[1..^1] : given;
        if (text.Length == 0 || text.Any(char.IsWhiteSpace)) throw Invalid(given, option, "it is empty or contains white space");
        if (text.TrimEnd('.').Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return new BindHost(given, [IPAddress.Loopback, IPAddress.IPv6Loopback], IsLocalhostName: true);

        IReadOnlyList<IPAddress> addresses;
        var isName = false;
        if (text.Contains(':'))
        {
            addresses = IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? [v6]
                : throw Invalid(given, option, "it contains ':' but is not an IPv6 address");
        }
        else if (text.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            // IPAddress.TryParse also takes "5000" or "127.1" (old shorthand forms); a user typing digits means a
            // dotted quad, and anything else is far more likely a slip (a port in the wrong place) than intended.
            addresses = IsDottedQuad(text) && IPAddress.TryParse(text, out var v4)
                ? [v4]
                : throw Invalid(given, option, "it is not an IPv4 address (four numbers from 0 to 255 separated by dots)");
        }
        else
        {
            if (!IsHostName(text)) throw Invalid(given, option, "it is neither an IP address nor a host name");
            addresses = Lookup(given, option, text);
            isName = true;
        }

        var local = addresses.Where(IsBindable).ToList();
        if (local.Count == 0)
        {
            var what = isName ? $"it resolves to {string.Join(", ", addresses)}, which is" : "it is";
            throw Invalid(given, option, $"{what} not an address of this machine (its addresses: {string.Join(", ", LocalAddresses.All())})");
        }
        return new BindHost(given, local, IsLocalhostName: false);
    }

    /// <summary>The address as a URL or Host header spells it (IPv6 in brackets, without a zone).</summary>
    public static string Format(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        return "[" + LocalAddresses.WithoutScope(address) + "]";
    }

    private static IReadOnlyList<IPAddress> Lookup(string given, string option, string name)
    {
        IPAddress[] found;
        try
        {
            found = Dns.GetHostAddressesAsync(name).WaitAsync(ResolveTimeout).GetAwaiter().GetResult();
        }
        catch (SocketException e)
        {
            throw Invalid(given, option, $"the name does not resolve ({e.Message})");
        }
        catch (TimeoutException)
        {
            throw Invalid(given, option, $"the name did not resolve within {ResolveTimeout.TotalSeconds:0} s");
        }
        if (found.Length == 0) throw Invalid(given, option, "the name resolves to no address");
        // IPv4 first, as Kestrel and browsers try it first; with port 0 only the first address is bound. Link-local
        // IPv6 addresses are left out: they only work with a zone a name does not carry, and binding one without it fails.
        var usable = found.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Where(a => !a.IsIPv6LinkLocal).Distinct()
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ToList();
        return usable.Count > 0
            ? usable
            : throw Invalid(given, option, $"the name resolves only to link-local IPv6 addresses ({string.Join(", ", found.AsEnumerable())}), which need a zone");
    }

    private static bool IsBindable(IPAddress address) =>
        IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || LocalAddresses.Contains(address);

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>RFC 1123 names (letters, digits, '-' inside labels of 1-63 characters; '_' tolerated, as some internal names use it).</summary>
    private static bool IsHostName(string text)
    {
        var name = text.EndsWith('.') ? text[..^1] : text;
        if (name.Length is 0 or > 253) return false;
        return name.Split('.').All(label => label.Length is >= 1 and <= 63
            && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    private static TrackingException Invalid(string given, string option, string reason) =>
        TrackingException.InvalidParameter($"{option} '{given}' cannot be used: {reason}; {Rule}.");
}
