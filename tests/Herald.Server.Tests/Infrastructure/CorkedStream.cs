namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// A client connection whose writes can be held back and then sent as one (like TCP_CORK): frames written while
/// corked reach the server in a single write, so a test knows they are all there when the server reads the first.
/// </summary>
public sealed class CorkedStream(Stream inner) : Stream
{
    private readonly MemoryStream _held = new();
    private bool _corked;

    public void Cork() => _corked = true;

    public async Task Uncork()
    {
        _corked = false;
        await inner.WriteAsync(_held.ToArray());
        await inner.FlushAsync();
        _held.SetLength(0);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_corked)
            _held.Write(buffer.Span);
        else
            await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override Task FlushAsync(CancellationToken cancellationToken) => _corked ? Task.CompletedTask : inner.FlushAsync(cancellationToken);
    public override void Flush() => FlushAsync().GetAwaiter().GetResult();
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
