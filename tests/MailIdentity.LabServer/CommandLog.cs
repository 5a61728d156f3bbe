namespace MailIdentity.LabServer;

/// <summary>Appends every command line a fake host received, one per line, flushed at once for tests to read.</summary>
internal sealed class CommandLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public CommandLog(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public void Write(HostSpec host, string client, string command)
    {
        // The command is escaped so that one received line stays one log line.
        var safe = string.Concat(command.Select(c => c < ' ' || c == 0x7F ? $"\\x{(int)c:X2}" : c.ToString()));
        lock (_lock)
        {
            _writer.WriteLine($"{host.Id}\t{host.Endpoint}\t{client}\t{safe}");
        }
    }

    public void Dispose() => _writer.Dispose();
}
