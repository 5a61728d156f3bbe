using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailIdentity.FaultDns;

/// <summary>One query the server received.</summary>
/// <param name="Name">The question name.</param>
/// <param name="Type">The question type (A, PTR, ...).</param>
/// <param name="Transport">"udp" or "tcp".</param>
/// <param name="Fault">The fault rule applied, or null for a normal answer.</param>
public sealed record FaultDnsQuery(string Name, string Type, string Transport, string? Fault);

/// <summary>
/// A DNS server on a loopback address, UDP and TCP on one port, that serves zone lines and misbehaves on
/// demand (see <see cref="FaultRule"/>). Every read is bounded in bytes and time; disposing stops it and
/// closes every socket it opened.
/// </summary>
/// <example><code>
/// await using var server = await FaultDnsServer.StartAsync(IPAddress.Loopback, 0,
///     new[] { "mail.example.test A 127.0.0.10" }, new[] { "bad.example.test=servfail" });
/// // ask server.EndPoint ...
/// </code></example>
public sealed class FaultDnsServer : IAsyncDisposable
{
    /// <summary>The largest query accepted, over either transport.</summary>
    public const int MaxQueryLength = 4096;

    /// <summary>A TCP connection is closed after this long, whatever it is doing.</summary>
    public static readonly TimeSpan TcpConnectionLifetime = TimeSpan.FromSeconds(30);

    /// <summary>A TCP connection is closed when the next query does not arrive within this time.</summary>
    public static readonly TimeSpan TcpIdleTimeout = TimeSpan.FromSeconds(10);

    private const int MaxQueriesPerConnection = 64;
    private const int MaxInFlight = 2048;
    private const int MaxLogged = 10_000;

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _handlers = new();
    private readonly ConcurrentQueue<FaultDnsQuery> _log = new();
    private Task _udpLoop = Task.CompletedTask;
    private Task _tcpLoop = Task.CompletedTask;
    private int _queryCount;
    private int _udpQueryCount;
    private int _tcpQueryCount;
    private int _tcpConnections;
    private int _openTcpConnections;
    private int _disposed;

    private FaultDnsServer(FaultResponder responder, Socket udp, Socket tcp)
    {
        Responder = responder;
        _udp = udp;
        _tcp = tcp;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
    }

    /// <summary>The address and port the server listens on (UDP and TCP).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The zone data and rules.</summary>
    public FaultResponder Responder { get; }

    /// <summary>Queries received, both transports, including ones not answered.</summary>
    public int QueryCount => Volatile.Read(ref _queryCount);

    /// <summary>Queries received over UDP.</summary>
    public int UdpQueryCount => Volatile.Read(ref _udpQueryCount);

    /// <summary>Queries received over TCP.</summary>
    public int TcpQueryCount => Volatile.Read(ref _tcpQueryCount);

    /// <summary>TCP connections accepted so far.</summary>
    public int TcpConnectionCount => Volatile.Read(ref _tcpConnections);

    /// <summary>TCP connections open now.</summary>
    public int OpenTcpConnections => Volatile.Read(ref _openTcpConnections);

    /// <summary>The queries received, oldest first (the first 10,000).</summary>
    public IReadOnlyCollection<FaultDnsQuery> Queries => _log.ToArray();

    /// <summary>
    /// Starts a server on <paramref name="address"/> (must be loopback) and <paramref name="port"/> (0 picks a
    /// free port for both UDP and TCP). <paramref name="zoneLines"/> are "name TYPE data" lines;
    /// <paramref name="faultRules"/> are "name=rule" texts. Throws <see cref="FormatException"/> for a bad
    /// line or rule and <see cref="ArgumentException"/> for a non-loopback address.
    /// </summary>
    public static Task<FaultDnsServer> StartAsync(IPAddress address, int port, IEnumerable<string> zoneLines, IEnumerable<string>? faultRules = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(zoneLines);
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"The address {address} is not a loopback address; the fault server listens on 127.0.0.0/8 or ::1 only.", nameof(address));
        }

        if (port < 0 || port > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"The port {port} is not 0 to 65535.");
        }

        var responder = new FaultResponder(zoneLines, faultRules ?? Array.Empty<string>());
        var (udp, tcp) = Bind(address, port);
        var server = new FaultDnsServer(responder, udp, tcp);
        server._udpLoop = Task.Run(server.UdpLoopAsync);
        server._tcpLoop = Task.Run(server.TcpLoopAsync);
        return Task.FromResult(server);
    }

    /// <summary>Stops listening, ends every handler and closes every socket. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        _tcp.Dispose();
        var all = new List<Task> { _udpLoop, _tcpLoop };
        all.AddRange(_handlers.Keys);
        try
        {
            await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A handler that ignores cancellation is a bug here; do not hang the test run over it.
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"FaultDnsServer {Format(EndPoint)} ({Responder.Records.Count} records, {Responder.Rules.Count} rules)";

    /// <summary>Formats an endpoint as ip:port or [ip]:port.</summary>
    public static string Format(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port}"
            : $"{endpoint.Address}:{endpoint.Port}";
    }

    private static (Socket Udp, Socket Tcp) Bind(IPAddress address, int port)
    {
        // Port 0: take a free TCP port, then the same UDP port; another process may hold that UDP port, so retry.
        SocketException? last = null;
        for (var attempt = 0; attempt < (port == 0 ? 20 : 1); attempt++)
        {
            var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            Socket? udp = null;
            try
            {
                tcp.Bind(new IPEndPoint(address, port));
                tcp.Listen(128);
                var actual = ((IPEndPoint)tcp.LocalEndPoint!).Port;
                udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(address, actual));
                return (udp, tcp);
            }
            catch (SocketException ex)
            {
                last = ex;
                udp?.Dispose();
                tcp.Dispose();
            }
        }

        throw new InvalidOperationException($"The fault DNS server could not listen on {address} port {port}: {last?.Message}", last);
    }

    private async Task UdpLoopAsync()
    {
        var token = _stop.Token;
        var buffer = new byte[MaxQueryLength];
        EndPoint any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier reply, a message larger than the buffer: keep serving.
                continue;
            }

            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var reply = Decide(query, overTcp: false);
            if (reply.Reply is null)
            {
                continue;
            }

            if (reply.DelayMilliseconds == 0)
            {
                await SendUdpAsync(reply.Reply, received.RemoteEndPoint, token).ConfigureAwait(false);
            }
            else if (_handlers.Count < MaxInFlight)
            {
                Track(DelayedUdpAsync(reply, received.RemoteEndPoint, token));
            }
        }
    }

    private async Task DelayedUdpAsync(FaultReply reply, EndPoint remote, CancellationToken token)
    {
        try
        {
            await Task.Delay(reply.DelayMilliseconds, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await SendUdpAsync(reply.Reply!, remote, token).ConfigureAwait(false);
    }

    private async Task SendUdpAsync(byte[] reply, EndPoint remote, CancellationToken token)
    {
        try
        {
            await _udp.SendToAsync(reply, SocketFlags.None, remote, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the server is stopping: nothing to do.
        }
    }

    private async Task TcpLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }

            if (_handlers.Count >= MaxInFlight)
            {
                client.Dispose();
                continue;
            }

            Track(ServeTcpAsync(client, token));
        }
    }

    private async Task ServeTcpAsync(Socket client, CancellationToken token)
    {
        Interlocked.Increment(ref _tcpConnections);
        Interlocked.Increment(ref _openTcpConnections);
        using var life = CancellationTokenSource.CreateLinkedTokenSource(token);
        life.CancelAfter(TcpConnectionLifetime);
        try
        {
            using (client)
            {
                var lengthBytes = new byte[2];
                for (var n = 0; n < MaxQueriesPerConnection; n++)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(life.Token);
                    idle.CancelAfter(TcpIdleTimeout);
                    if (!await ReadExactlyAsync(client, lengthBytes, idle.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    var length = (lengthBytes[0] << 8) | lengthBytes[1];
                    if (length < DnsWire.HeaderLength || length > MaxQueryLength)
                    {
                        return;
                    }

                    var query = new byte[length];
                    if (!await ReadExactlyAsync(client, query, idle.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    var reply = Decide(query, overTcp: true);
                    if (reply.Reply is null)
                    {
                        // Drop: hold the connection silently until the client gives up or the lifetime ends.
                        await DrainUntilClosedAsync(client, life.Token).ConfigureAwait(false);
                        return;
                    }

                    if (reply.DelayMilliseconds > 0)
                    {
                        await Task.Delay(reply.DelayMilliseconds, life.Token).ConfigureAwait(false);
                    }

                    var framed = new byte[reply.Reply.Length + 2];
                    framed[0] = (byte)(reply.Reply.Length >> 8);
                    framed[1] = (byte)reply.Reply.Length;
                    reply.Reply.CopyTo(framed, 2);
                    await client.SendAsync(framed, SocketFlags.None, life.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Timeout, stop or a client that went away: the socket is closed by the using.
        }
        finally
        {
            Interlocked.Decrement(ref _openTcpConnections);
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken token)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, token).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static async Task DrainUntilClosedAsync(Socket socket, CancellationToken token)
    {
        var sink = new byte[512];
        while (await socket.ReceiveAsync(sink, SocketFlags.None, token).ConfigureAwait(false) > 0)
        {
        }
    }

    private FaultReply Decide(byte[] query, bool overTcp)
    {
        Interlocked.Increment(ref _queryCount);
        Interlocked.Increment(ref overTcp ? ref _tcpQueryCount : ref _udpQueryCount);
        var reply = Responder.Respond(query, overTcp);
        if (_log.Count < MaxLogged && DnsWire.TryReadQuery(query, out var q, out _))
        {
            _log.Enqueue(new FaultDnsQuery(q!.Name, DnsWire.TypeName(q.Type), overTcp ? "tcp" : "udp", reply.Rule?.ToString()));
        }

        return reply;
    }

    private void Track(Task task)
    {
        _handlers.TryAdd(task, 0);
        _ = task.ContinueWith(t => _handlers.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
