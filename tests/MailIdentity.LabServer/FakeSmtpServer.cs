using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailIdentity.LabServer;

/// <summary>
/// Serves each host's greeting and behaviour. Bounded everywhere: at most 256 connections at once, two
/// minutes per connection, 1 KiB per command line, 16 MiB for the "endless" line.
/// </summary>
internal sealed class FakeSmtpServer(IReadOnlyList<HostSpec> hosts, CommandLog? log)
{
    private const int MaxConnections = 256;
    private const int MaxCommandLine = 1024;
    private static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(2);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections);
    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new();

    public void Start()
    {
        foreach (var host in hosts)
        {
            var listener = new TcpListener(host.Address, host.Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start(64);
            _listeners.Add(listener);
        }

        for (var i = 0; i < hosts.Count; i++)
        {
            var (host, listener) = (hosts[i], _listeners[i]);
            _loops.Add(Task.Run(() => AcceptLoopAsync(host, listener)));
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAny(Task.WhenAll(_loops.Concat(_connections.Keys)), Task.Delay(3000));
    }

    private async Task AcceptLoopAsync(HostSpec host, TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (!_slots.Wait(0))
            {
                client.Dispose();
                continue;
            }

            var task = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(host, client);
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
                {
                    // The client hung up or the connection's time ran out.
                }
                finally
                {
                    client.Dispose();
                    _slots.Release();
                }
            });
            _connections.TryAdd(task, true);
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(HostSpec host, TcpClient client)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        lifetime.CancelAfter(ConnectionLifetime);
        var token = lifetime.Token;
        client.NoDelay = true;
        var peer = client.Client.RemoteEndPoint?.ToString() ?? "?";
        Stream stream = client.GetStream();
        switch (host.Mode)
        {
            case "silence":
                await ReadCommandsAsync(host, peer, stream, answer: false, token);
                return;
            case "delay":
                await Task.Delay(host.Argument(3000), token);
                await WriteAsync(stream, host.Greeting, token);
                break;
            case "drip":
                var interval = host.Argument(1000);
                foreach (var b in host.Greeting)
                {
                    await stream.WriteAsync(new[] { b }, token);
                    await Task.Delay(interval, token);
                }

                break;
            case "endless":
                await WriteAsync(stream, "220 "u8.ToArray(), token);
                var chunk = Encoding.ASCII.GetBytes(new string('x', 1024));
                for (var sent = 0; sent < 16 * 1024 * 1024 && !token.IsCancellationRequested; sent += chunk.Length)
                {
                    await stream.WriteAsync(chunk, token);
                    await Task.Delay(2, token);
                }

                return;
            case "garbage":
                var noise = new byte[4096];
                new Random(5321).NextBytes(noise);
                noise[100] = 0x1b;
                noise[200] = (byte)'\r';
                noise[201] = (byte)'\n';
                await WriteAsync(stream, noise, token);
                await ReadCommandsAsync(host, peer, stream, answer: false, token);
                return;
            case "close-mid-line":
                var cut = Array.IndexOf(host.Greeting, (byte)'\n');
                var length = Math.Max(1, (cut < 0 ? host.Greeting.Length : cut) / 2);
                await WriteAsync(stream, host.Greeting.AsSpan(0, length).ToArray(), token);
                client.Client.Shutdown(SocketShutdown.Both);
                return;
            default:
                await WriteAsync(stream, host.Greeting, token);
                break;
        }

        await ReadCommandsAsync(host, peer, stream, answer: true, token);
    }

    /// <summary>Reads command lines (bounded), logs each one and, when asked, answers it.</summary>
    private async Task ReadCommandsAsync(HostSpec host, string peer, Stream stream, bool answer, CancellationToken token)
    {
        var tls = false;
        var line = new List<byte>(128);
        var buffer = new byte[1024];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, token);
            if (read == 0)
            {
                return;
            }

            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    line.Add(buffer[i]);
                    if (line.Count > MaxCommandLine)
                    {
                        log?.Write(host, peer, "[command line too long]");
                        return;
                    }

                    continue;
                }

                var command = Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
                line.Clear();
                log?.Write(host, peer, command);
                if (!answer)
                {
                    continue;
                }

                var verb = command.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" when host.Mode == "refuse-ehlo":
                        await WriteAsync(stream, "500 5.5.1 Command unrecognized: \"EHLO\"\r\n", token);
                        break;
                    case "EHLO":
                        await WriteAsync(stream, host.Ehlo ?? DefaultEhlo(host, offerTls: !tls && IsTlsMode(host)), token);
                        break;
                    case "HELO":
                        await WriteAsync(stream, $"250 {host.SelfName}\r\n", token);
                        break;
                    case "STARTTLS" when !tls && IsTlsMode(host):
                        await WriteAsync(stream, "220 2.0.0 Ready to start TLS\r\n", token);
                        if (host.Mode == "tls-fail")
                        {
                            // Not a TLS record: the client's handshake must fail.
                            await WriteAsync(stream, "this is not a TLS server hello\r\n", token);
                            return;
                        }

                        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                        {
                            ServerCertificate = Certificate(host),
                        }, token);
                        stream = ssl;
                        tls = true;
                        i = read; // anything pipelined before the handshake is dropped, as a real server must
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 2.0.0 Bye\r\n", token);
                        return;
                    case "NOOP" or "RSET":
                        await WriteAsync(stream, "250 2.0.0 Ok\r\n", token);
                        break;
                    default:
                        await WriteAsync(stream, "502 5.5.2 Error: command not recognized\r\n", token);
                        break;
                }
            }
        }
    }

    // A stock MTA offers STARTTLS; "no-tls" is the server that does not.
    private static bool IsTlsMode(HostSpec host) => host.Mode == "normal" || host.Mode.StartsWith("tls-", StringComparison.Ordinal);

    private static byte[] DefaultEhlo(HostSpec host, bool offerTls) => Encoding.ASCII.GetBytes(
        $"250-{host.SelfName}\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n{(offerTls ? "250-STARTTLS\r\n" : "")}250-8BITMIME\r\n250 SMTPUTF8\r\n");

    /// <summary>A certificate made at run time: self-signed for the host's name; expired a month ago for tls-expired.</summary>
    private X509Certificate2 Certificate(HostSpec host) => _certificates.GetOrAdd(host.Mode + "|" + host.SelfName, _ =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host.SelfName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host.SelfName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var (notBefore, notAfter) = host.Mode == "tls-expired" ? (now.AddDays(-60), now.AddDays(-30)) : (now.AddDays(-1), now.AddDays(30));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    });

    private static Task WriteAsync(Stream stream, string text, CancellationToken token) => WriteAsync(stream, Encoding.UTF8.GetBytes(text), token);

    private static async Task WriteAsync(Stream stream, byte[] bytes, CancellationToken token)
    {
        await stream.WriteAsync(bytes, token);
        await stream.FlushAsync(token);
    }
}
