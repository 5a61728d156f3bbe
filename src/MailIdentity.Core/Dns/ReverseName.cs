using System;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailIdentity.Dns;

/// <summary>Builds the in-addr.arpa / ip6.arpa name that a PTR lookup asks for.</summary>
public static class ReverseName
{
    /// <summary>Returns e.g. <c>6.2.0.192.in-addr.arpa</c> or the 32-nibble ip6.arpa name.</summary>
    public static string For(IPAddress address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var builder = new StringBuilder(address.AddressFamily == AddressFamily.InterNetworkV6 ? 72 : 29);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                builder.Append(bytes[i]).Append('.');
            }

            return builder.Append("in-addr.arpa").ToString();
        }

        const string hex = "0123456789abcdef";
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            builder.Append(hex[bytes[i] & 0xF]).Append('.').Append(hex[bytes[i] >> 4]).Append('.');
        }

        return builder.Append("ip6.arpa").ToString();
    }
}
