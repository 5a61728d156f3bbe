#pragma warning disable CA1861 // Expected values read best inline in a test.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using MailIdentity.Dns;
using MailIdentity.FaultDns;
using Xunit;

namespace MailIdentity.Core.Tests.Dns;

/// <summary>The fault server itself: the tests above are only as good as it is.</summary>
public sealed class FaultDnsServerTests
{
    private static readonly string[] Zone = { "mail.server.test A 127.0.0.10", "mail.server.test MX 10 mail.server.test" };

    [Fact]
    public async Task Port_zero_picks_one_free_port_for_udp_and_tcp()
    {
        await using var server = await FaultServer.StartAsync(Zone);

        Assert.Equal(IPAddress.Loopback, server.EndPoint.Address);
        Assert.NotEqual(0, server.EndPoint.Port);
        var udp = await AskUdpAsync(server.EndPoint, Query(0x1234, "mail.server.test", 1));
        var tcp = await AskTcpAsync(server.EndPoint, Query(0x4321, "mail.server.test", 1));

        Assert.Equal(0x12, udp![0]);
        Assert.Equal(0x34, udp[1]);
        Assert.Equal(0x43, tcp![0]);
        Assert.Equal(1, server.UdpQueryCount);
        Assert.Equal(1, server.TcpQueryCount);
        Assert.Equal(new[] { "udp", "tcp" }, server.Queries.Select(q => q.Transport));
    }

    [Fact]
    public async Task Other_127_addresses_work()
    {
        await using var server = await FaultDnsServer.StartAsync(IPAddress.Parse("127.0.0.53"), 0, Zone);
        var answer = await FaultServer.Resolver(server, TimeSpan.FromSeconds(2)).QueryAsync("mail.server.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
        Assert.StartsWith("127.0.0.53:", answer.Server, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ipv6_loopback_works_and_is_named_in_brackets()
    {
        await using var server = await FaultDnsServer.StartAsync(IPAddress.IPv6Loopback, 0, Zone, new[] { "bad.server.test=truncate" });
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(4));

        var answer = await resolver.QueryAsync("mail.server.test", DnsRecordType.A, FaultServer.Guard());
        var viaTcp = await resolver.QueryAsync("bad.server.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
        Assert.Equal($"[::1]:{server.EndPoint.Port}", answer.Server);
        Assert.Equal(DnsLookupStatus.NotFound, viaTcp.Status);
        Assert.Equal(1, server.TcpQueryCount);
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task Non_loopback_address_is_refused_by_name(string address)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FaultDnsServer.StartAsync(IPAddress.Parse(address), 0, Zone));
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mail.server.test", "is not 'name TYPE data'")]
    [InlineData("mail.server.test A 300.1.1.1", "needs one IPv4 address")]
    [InlineData("mail.server.test AAAA 127.0.0.1", "needs one IPv6 address")]
    [InlineData("mail.server.test MX mail", "needs 'preference host'")]
    [InlineData("mail.server.test TXT hello", "the type 'TXT'")]
    [InlineData("a..b PTR x", "label")]
    public async Task Bad_zone_line_is_refused_naming_the_line(string line, string why)
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => FaultServer.StartAsync(new[] { line }));
        Assert.Contains($"'{line}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("servfail")]
    [InlineData("x=explode")]
    [InlineData("x=slow")]
    [InlineData("x=slow:soon")]
    [InlineData("x=drop:5")]
    [InlineData("a*b=drop")]
    [InlineData("*.x=cname-loop")]
    public async Task Bad_fault_rule_is_refused_naming_the_rule(string rule)
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => FaultServer.StartAsync(Zone, rule));
        Assert.Contains($"'{rule}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exact_name_beats_zone_rule_which_beats_the_catch_all()
    {
        var responder = new FaultResponder(Zone, new[] { "*=drop", "*.server.test=refused", "*.deep.server.test=nxdomain", "mail.server.test=servfail" });

        Assert.Equal(FaultKind.ServFail, responder.RuleFor("mail.server.test")!.Kind);
        Assert.Equal(FaultKind.Refused, responder.RuleFor("other.server.test")!.Kind);
        Assert.Equal(FaultKind.Refused, responder.RuleFor("server.test")!.Kind);
        Assert.Equal(FaultKind.NxDomain, responder.RuleFor("a.deep.server.test")!.Kind);
        Assert.Equal(FaultKind.Drop, responder.RuleFor("elsewhere.test")!.Kind);
    }

    [Fact]
    public async Task Unreadable_datagrams_are_ignored_and_the_server_keeps_answering()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(server.EndPoint);
        await client.SendAsync(new byte[] { 1, 2, 3 });
        await client.SendAsync(new byte[600]);

        var answer = await FaultServer.Resolver(server, TimeSpan.FromSeconds(2)).QueryAsync("mail.server.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
    }

    [Fact]
    public async Task Query_without_a_question_gets_formerr()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        var query = new byte[12];
        query[0] = 0xAB;
        query[1] = 0xCD;

        var reply = await AskUdpAsync(server.EndPoint, query);

        Assert.NotNull(reply);
        Assert.Equal(0xAB, reply![0]);
        Assert.Equal(1, reply[3] & 0x0F);
    }

    [Fact]
    public async Task Oversized_tcp_length_prefix_closes_the_connection()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        using var client = new TcpClient();
        await client.ConnectAsync(server.EndPoint);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0xFF, 0xFF, 1, 2, 3 });
        stream.ReadTimeout = 5000;

        Assert.Equal(0, await ReadUntilClosedAsync(stream));
    }

    [Fact]
    public async Task Dispose_closes_held_connections_and_frees_the_port()
    {
        var server = await FaultServer.StartAsync(Zone, "*=drop");
        var port = server.EndPoint.Port;
        using var client = new TcpClient();
        await client.ConnectAsync(server.EndPoint);
        var stream = client.GetStream();
        var query = Query(7, "mail.server.test", 1);
        await stream.WriteAsync(new byte[] { 0, (byte)query.Length }.Concat(query).ToArray());
        await WaitUntilAsync(() => server.OpenTcpConnections == 1);

        var watch = Stopwatch.StartNew();
        await server.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"dispose took {watch.Elapsed}");
        Assert.Equal(0, server.OpenTcpConnections);
        Assert.Equal(0, await ReadUntilClosedAsync(stream));
        await using var again = await FaultDnsServer.StartAsync(IPAddress.Loopback, port, Zone);
        Assert.Equal(port, again.EndPoint.Port);
    }

    [Fact]
    public async Task Dispose_does_not_wait_for_slow_answers()
    {
        var server = await FaultServer.StartAsync(Zone, "*=slow:60000");
        await AskUdpAsync(server.EndPoint, Query(1, "mail.server.test", 1), TimeSpan.FromMilliseconds(200));

        var watch = Stopwatch.StartNew();
        await server.DisposeAsync();
        await server.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"dispose took {watch.Elapsed}");
    }

    [Fact]
    public async Task Truncate_then_blocked_tcp_times_out()
    {
        await using var server = await FaultServer.StartAsync(Zone, "mail.server.test=truncate-tcp-drop");
        var timeout = TimeSpan.FromSeconds(1);

        var watch = Stopwatch.StartNew();
        var answer = await FaultServer.Resolver(server, timeout).QueryAsync("mail.server.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Timeout, answer.Status);
        Assert.True(watch.Elapsed < timeout + FaultServer.Margin, $"took {watch.Elapsed}");
        Assert.Equal(1, server.TcpQueryCount);
    }

    [Fact]
    public void Lab_hosts_file_becomes_zone_lines_and_servfail_rules()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lab-hosts-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            { "hosts": [
                { "ip": "127.0.1.1", "ptr": ["mail.c01.example"], "records": ["mail.c01.example A 127.0.1.1"] },
                { "ip": "127.0.1.10", "ptr": [], "records": [], "servfailZones": ["10.1.0.127.in-addr.arpa"] } ],
              "extraRecords": ["mail6.doc.example AAAA 2001:db8::25"] }
            """);
        try
        {
            var zone = new System.Collections.Generic.List<string>();
            var faults = new System.Collections.Generic.List<string>();
            LabHosts.Read(path, zone, faults);

            Assert.Equal(new[] { "1.1.0.127.in-addr.arpa PTR mail.c01.example", "mail.c01.example A 127.0.1.1", "mail6.doc.example AAAA 2001:db8::25" }, zone);
            Assert.Equal(new[] { "*.10.1.0.127.in-addr.arpa=servfail" }, faults);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Lab_reverse_names_match_the_core_reverse_names()
    {
        foreach (var text in new[] { "127.0.1.1", "2001:db8::25", "::1" })
        {
            var address = IPAddress.Parse(text);
            Assert.Equal(ReverseName.For(address), LabHosts.ReverseNameOf(address));
        }
    }

    internal static byte[] Query(ushort id, string name, ushort type)
    {
        var bytes = new System.Collections.Generic.List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        DnsWire.WriteName(bytes, name);
        bytes.AddRange(new byte[] { (byte)(type >> 8), (byte)type, 0, 1 });
        return bytes.ToArray();
    }

    private static async Task<byte[]?> AskUdpAsync(IPEndPoint server, byte[] query, TimeSpan? wait = null)
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(server);
        await client.SendAsync(query);
        try
        {
            var result = await client.ReceiveAsync().WaitAsync(wait ?? TimeSpan.FromSeconds(3));
            return result.Buffer;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> AskTcpAsync(IPEndPoint server, byte[] query)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { (byte)(query.Length >> 8), (byte)query.Length }.Concat(query).ToArray());
        var length = new byte[2];
        await stream.ReadExactlyAsync(length).AsTask().WaitAsync(TimeSpan.FromSeconds(3));
        var reply = new byte[(length[0] << 8) | length[1]];
        await stream.ReadExactlyAsync(reply).AsTask().WaitAsync(TimeSpan.FromSeconds(3));
        return reply;
    }

    /// <summary>Reads once: 0 when the server closed the connection, by shutdown or by reset.</summary>
    private static async Task<int> ReadUntilClosedAsync(NetworkStream stream)
    {
        try
        {
            return await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (IOException)
        {
            // Closed with bytes in flight, a socket is reset rather than shut down: still closed.
            return 0;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "condition not met in 5 s");
            await Task.Delay(20);
        }
    }
}
