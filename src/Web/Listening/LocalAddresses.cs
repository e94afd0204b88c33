using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Qlib.Tracked.Web.Listening;

/// <summary>This machine's own addresses (every network interface's), the only ones a server can bind.</summary>
internal static class LocalAddresses
{
    public static IReadOnlyList<IPAddress> All()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(u => WithoutScope(u.Address))
                .Distinct()
                .ToList();
        }
        catch (NetworkInformationException)
        {
            // Interfaces cannot be listed (some sandboxes): loopback is still there.
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }
    }

    public static bool Contains(IPAddress address) => All().Contains(WithoutScope(address));

    /// <summary>An IPv6 address without its zone (<c>fe80::1%2</c> and <c>fe80::1</c> are the same address here).</summary>
    public static IPAddress WithoutScope(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
}
