using System.Net;
using System.Runtime.InteropServices;
using MailIdentity.LabServer;

// The lab's fake SMTP server. Listens only on loopback addresses; refuses anything else.
//   --data <lab-hosts.json>   serve every host whose smtp.server is "fake" on ip:smtpPort
//   --host <json>             an ad-hoc host: {"id","ip","port","greeting","behavior","ehlo"} (repeatable)
//   --log <file>              append every command line received: id<TAB>endpoint<TAB>client<TAB>command
//   --ready <file>            written once every listener is bound
//   --exit-on-stdin-close     stop when standard input closes (for a parent that pipes to it)
string? data = null, log = null, ready = null;
var adHoc = new List<string>();
var exitOnStdin = false;
var port = 2525;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--data": data = Next(); break;
        case "--host": adHoc.Add(Next()); break;
        case "--log": log = Next(); break;
        case "--ready": ready = Next(); break;
        case "--port": port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--exit-on-stdin-close": exitOnStdin = true; break;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}. Usage: --data <json> | --host <json> [--log <file>] [--ready <file>] [--exit-on-stdin-close]");
            return 2;
    }
}

var hosts = new List<HostSpec>();
if (data is not null)
{
    hosts.AddRange(HostSpec.FromLabData(data));
}

hosts.AddRange(adHoc.Select(h => HostSpec.FromJson(h, port)));
if (hosts.Count == 0)
{
    Console.Error.WriteLine("No fake SMTP host to serve: give --data with smtp.server = \"fake\" hosts, or --host.");
    return 2;
}

foreach (var host in hosts)
{
    if (!IPAddress.IsLoopback(host.Address))
    {
        Console.Error.WriteLine($"{host.Id}: {host.Address} is not a loopback address; the lab listens on 127.0.0.0/8 and ::1 only.");
        return 2;
    }
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
if (exitOnStdin)
{
    _ = Task.Run(() =>
    {
        var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (stdin.Read(buffer, 0, buffer.Length) > 0)
        {
        }

        stop.Cancel();
    });
}

using var commandLog = log is null ? null : new CommandLog(log);
var server = new FakeSmtpServer(hosts, commandLog);
try
{
    server.Start();
}
catch (System.Net.Sockets.SocketException ex)
{
    Console.Error.WriteLine($"Cannot listen: {ex.Message}");
    return 1;
}

foreach (var host in hosts)
{
    Console.WriteLine($"listening {host}");
}

if (ready is not null)
{
    File.WriteAllText(ready, string.Join(Environment.NewLine, hosts.Select(h => h.Endpoint)) + Environment.NewLine);
}

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

await server.StopAsync();
return 0;
