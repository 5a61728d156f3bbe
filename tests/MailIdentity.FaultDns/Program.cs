using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace MailIdentity.FaultDns;

/// <summary>
/// Runs the fault DNS server standalone (for Pester and by hand):
/// <c>MailIdentity.FaultDns --listen 127.0.0.1:5353 --zone zone.txt --fault bad.example.test=servfail</c>.
/// Prints one line "FaultDns listening on &lt;ip:port&gt;" when ready; stops on Ctrl+C/SIGTERM or after --max-lifetime.
/// </summary>
public static class Program
{
    private const string Usage = """
        MailIdentity.FaultDns - a DNS server on loopback that misbehaves on demand (tests only).

          --listen <ip[:port]>      loopback address and port, UDP and TCP (default 127.0.0.1:0 = a free port)
          --zone <file>             zone lines "name TYPE data" (A, AAAA, PTR, CNAME, MX); # starts a comment
          --record "<line>"         one zone line on the command line
          --lab-hosts <json>        serve tests/lab/lab-hosts.json (ptr, records, extraRecords, servfailZones)
          --fault <name>=<rule>     servfail | refused | nxdomain | rcode:<n> | drop | slow:<ms> | truncate |
                                    truncate-tcp-drop | large |
                                    malformed | pointer-loop | garbage | wrong-id | cname-loop[:<partner>] |
                                    cname-only
                                    name: an exact name, *.zone (zone and below) or * (everything)
          --max-lifetime <seconds>  stop after this long (default 3600; 0 = until stopped)
          --log                     write each query to stderr

        Prints "FaultDns listening on <ip:port>" on stdout when ready. Stop with Ctrl+C or SIGTERM.
        """;

    /// <summary>Entry point; exit code 0 after a clean stop, 1 when it cannot listen, 2 for bad arguments.</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or JsonException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("Run with --help for usage.").ConfigureAwait(false);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        FaultDnsServer server;
        try
        {
            server = await FaultDnsServer.StartAsync(options.Address, options.Port, options.ZoneLines, options.Faults).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            using var stop = new CancellationTokenSource();
            if (options.MaxLifetimeSeconds > 0)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(options.MaxLifetimeSeconds));
            }

            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            Console.WriteLine($"FaultDns listening on {FaultDnsServer.Format(server.EndPoint)}");
            Console.Out.Flush();
            await Console.Error.WriteLineAsync($"{server.Responder.Records.Count} records, rules: {string.Join(", ", server.Responder.Rules)}").ConfigureAwait(false);

            var logged = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(200, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                if (options.Log)
                {
                    var queries = server.Queries;
                    var i = 0;
                    foreach (var q in queries)
                    {
                        if (i++ >= logged)
                        {
                            await Console.Error.WriteLineAsync($"{q.Transport} {q.Name} {q.Type}{(q.Fault is null ? string.Empty : " fault " + q.Fault)}").ConfigureAwait(false);
                        }
                    }

                    logged = i;
                }
            }

            await Console.Error.WriteLineAsync($"FaultDns stopping after {server.QueryCount} queries ({server.UdpQueryCount} udp, {server.TcpQueryCount} tcp).").ConfigureAwait(false);
        }

        return 0;
    }

    private sealed class Options
    {
        public IPAddress Address { get; private set; } = IPAddress.Loopback;

        public int Port { get; private set; }

        public List<string> ZoneLines { get; } = new();

        public List<string> Faults { get; } = new();

        public int MaxLifetimeSeconds { get; private set; } = 3600;

        public bool Log { get; private set; }

        public bool Help { get; private set; }

        public static Options Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Value()
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new FormatException($"The option '{arg}' needs a value.");
                    }

                    return args[++i];
                }

                switch (arg.ToLowerInvariant())
                {
                    case "--help":
                    case "-h":
                    case "-?":
                        options.Help = true;
                        break;
                    case "--listen":
                        (options.Address, options.Port) = ParseListen(Value());
                        break;
                    case "--zone":
                        var file = Value();
                        options.ZoneLines.AddRange(File.ReadAllLines(file));
                        break;
                    case "--record":
                        options.ZoneLines.Add(Value());
                        break;
                    case "--lab-hosts":
                        LabHosts.Read(Value(), options.ZoneLines, options.Faults);
                        break;
                    case "--fault":
                        options.Faults.Add(Value());
                        break;
                    case "--max-lifetime":
                        var text = Value();
                        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                        {
                            throw new FormatException($"The --max-lifetime '{text}' is not a whole number of seconds.");
                        }

                        options.MaxLifetimeSeconds = seconds;
                        break;
                    case "--log":
                        options.Log = true;
                        break;
                    default:
                        throw new FormatException($"The argument '{arg}' is not an option of MailIdentity.FaultDns.");
                }
            }

            return options;
        }

        internal static (IPAddress Address, int Port) ParseListen(string text)
        {
            var value = text.Trim();
            string host = value;
            string? portText = null;
            if (value.StartsWith('['))
            {
                var close = value.IndexOf(']', StringComparison.Ordinal);
                if (close < 0 || (close + 1 < value.Length && value[close + 1] != ':'))
                {
                    throw new FormatException($"The --listen '{text}' is not [ipv6]:port.");
                }

                host = value[1..close];
                portText = close + 1 < value.Length ? value[(close + 2)..] : null;
            }
            else if (value.Count(':') == 1)
            {
                var colon = value.IndexOf(':', StringComparison.Ordinal);
                host = value[..colon];
                portText = value[(colon + 1)..];
            }

            if (!IPAddress.TryParse(host, out var address) || !IPAddress.IsLoopback(address) ||
                (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6))
            {
                throw new FormatException($"The --listen '{text}' is not a loopback address (127.0.0.0/8 or ::1).");
            }

            var port = 0;
            if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
            {
                throw new FormatException($"The --listen '{text}' has the port '{portText}'; a port is 0 to 65535.");
            }

            return (address, port);
        }
    }
}

/// <summary>Reads the lab's lab-hosts.json into zone lines and fault rules, as Lab.ps1 does for BIND9.</summary>
public static class LabHosts
{
    /// <summary>Adds the file's records to <paramref name="zoneLines"/> and its SERVFAIL zones to <paramref name="faults"/>.</summary>
    public static void Read(string path, ICollection<string> zoneLines, ICollection<string> faults)
    {
        ArgumentNullException.ThrowIfNull(zoneLines);
        ArgumentNullException.ThrowIfNull(faults);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        if (root.TryGetProperty("hosts", out var hosts) && hosts.ValueKind == JsonValueKind.Array)
        {
            foreach (var host in hosts.EnumerateArray())
            {
                var ip = host.TryGetProperty("ip", out var ipValue) ? ipValue.GetString() : null;
                if (ip is not null && host.TryGetProperty("ptr", out var ptr) && ptr.ValueKind == JsonValueKind.Array)
                {
                    if (!IPAddress.TryParse(ip, out var address))
                    {
                        throw new FormatException($"The lab host ip '{ip}' in '{path}' is not an IP address.");
                    }

                    foreach (var name in ptr.EnumerateArray())
                    {
                        zoneLines.Add($"{ReverseNameOf(address)} PTR {name.GetString()}");
                    }
                }

                AddStrings(host, "records", zoneLines);
                if (host.TryGetProperty("servfailZones", out var zones) && zones.ValueKind == JsonValueKind.Array)
                {
                    foreach (var zone in zones.EnumerateArray())
                    {
                        faults.Add($"*.{zone.GetString()}=servfail");
                    }
                }
            }
        }

        AddStrings(root, "extraRecords", zoneLines);
    }

    /// <summary>d.c.b.a.in-addr.arpa, or the ip6.arpa nibble name.</summary>
    public static string ReverseNameOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        var parts = new List<string>();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                parts.Add(bytes[i].ToString(CultureInfo.InvariantCulture));
            }

            return string.Join('.', parts) + ".in-addr.arpa";
        }

        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            parts.Add((bytes[i] & 0xF).ToString("x", CultureInfo.InvariantCulture));
            parts.Add((bytes[i] >> 4).ToString("x", CultureInfo.InvariantCulture));
        }

        return string.Join('.', parts) + ".ip6.arpa";
    }

    private static void AddStrings(JsonElement element, string property, ICollection<string> into)
    {
        if (element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.GetString() is { Length: > 0 } line)
                {
                    into.Add(line);
                }
            }
        }
    }
}
