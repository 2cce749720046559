using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Load.Echo;
using Wsdoctor.Load.Errors;
using Wsdoctor.Load.Payloads;

namespace Wsdoctor.Load.Runs;

/// <summary>The default conversation: send one message, wait for its reply. The reply is the echo, checked byte
/// for byte (and its type), unless a <c>--reply-regex</c> says which received text message answers it; other
/// messages are then skipped (a server that also pushes). <c>{{seq}}</c> in the pattern is the message's number.</summary>
public sealed class EchoDriver : IConnectionDriver
{
    /// <summary>Messages skipped while waiting for the one that matches, before the reply counts as missing.</summary>
    public const int MaxSkipped = 1000;

    /// <summary>The longest reply kept when matching by pattern; a longer one is an error, not a growing buffer.</summary>
    public const int MaxReplyBytes = 1 << 20;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public EchoDriver(MessageSource source, string? replyPattern)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        ReplyPattern = replyPattern;
        if (replyPattern is not null && !replyPattern.Contains("{{seq}}", StringComparison.Ordinal))
        {
            // Validates once; ArgumentException for a bad pattern.
            Fixed = new Regex(replyPattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        else if (replyPattern is not null)
        {
            _ = new Regex(replyPattern.Replace("{{seq}}", "0", StringComparison.Ordinal), RegexOptions.CultureInvariant, RegexTimeout);
        }
    }

    public MessageSource Source { get; }

    public string? ReplyPattern { get; }

    private Regex? Fixed { get; }

    public IReadOnlyList<string> StepNames => [];

    public string Description => $"{Source.Description}; reply: {(ReplyPattern is null ? "echo, verified byte for byte" : $"first text message matching /{ReplyPattern}/")}";

    public IConversation Start(int connectionIndex) => new Conversation(this, Source.CreateWriter(connectionIndex));

    private sealed class Conversation(EchoDriver driver, MessageWriter writer) : IConversation
    {
        private readonly byte[] received = new byte[driver.ReplyPattern is null ? driver.Source.MaxBytes + 1 : MaxReplyBytes + 1];

        public async ValueTask<LoadError?> ExchangeAsync(WebSocket socket, ExchangeContext context, CancellationToken ct)
        {
            var message = writer.Next(context.Sequence);
            context.Progress();
            // Sends and receives take turns here, so the engine's own frame writer may send (see ClientFrameSender).
            if (context.Frames is { } frames && socket.State == WebSocketState.Open)
            {
                await frames.SendAsync(message, driver.Source.Type, ct).ConfigureAwait(false);
            }
            else
            {
                await socket.SendAsync(message, driver.Source.Type, endOfMessage: true, ct).ConfigureAwait(false);
            }

            context.Sent(message.Length);
            for (var skipped = 0; skipped <= MaxSkipped; skipped++)
            {
                var (length, type, closed) = await ReceiveAsync(socket, context, ct).ConfigureAwait(false);
                if (closed)
                {
                    return ErrorClassifier.ClosedByServer(socket, ErrorStage.Message);
                }

                if (length > received.Length - 1)
                {
                    socket.Abort();
                    return Mismatch("too-long", $"the reply to message #{context.Sequence} is longer than {received.Length - 1} bytes{(driver.ReplyPattern is null ? $", the {message.Length} sent" : "")}");
                }

                if (driver.ReplyPattern is null)
                {
                    if (type != driver.Source.Type)
                    {
                        socket.Abort();
                        return Mismatch("wrong-reply", $"the echo of {driver.Source.Type} message #{context.Sequence} came back as {type}");
                    }

                    if (EchoPayload.Verify(message.Span, received.AsSpan(0, length), context.Sequence) is { } mismatch)
                    {
                        socket.Abort();
                        return Mismatch("wrong-reply", mismatch);
                    }

                    return null;
                }

                if (type == WebSocketMessageType.Text && Matches(Encoding.UTF8.GetString(received, 0, length), context.Sequence))
                {
                    return null;
                }
            }

            socket.Abort();
            return Mismatch("no-match", $"{MaxSkipped} messages arrived after message #{context.Sequence} and none matched /{driver.ReplyPattern}/");
        }

        private bool Matches(string text, long sequence)
        {
            try
            {
                return driver.Fixed?.IsMatch(text)
                    ?? Regex.IsMatch(text, driver.ReplyPattern!.Replace("{{seq}}", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        /// <summary>One whole message into the buffer (one byte more than allowed marks "too long").</summary>
        private async ValueTask<(int Length, WebSocketMessageType Type, bool Closed)> ReceiveAsync(WebSocket socket, ExchangeContext context, CancellationToken ct)
        {
            var length = 0;
            // Each pass adds at least one byte or ends the message, and the buffer is finite; a longer message is
            // drained into the last byte without growing.
            while (true)
            {
                var into = length < received.Length ? received.AsMemory(length) : received.AsMemory(received.Length - 1);
                var result = await socket.ReceiveAsync(into, ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (0, result.MessageType, true);
                }

                length = Math.Min(received.Length, length + result.Count);
                context.Received(result.Count);
                if (result.EndOfMessage)
                {
                    return (length, result.MessageType, false);
                }
            }
        }

        private static LoadError Mismatch(string detail, string message) => new(Codes.SessionEchoMismatch, detail, ErrorStage.Message, message);
    }
}
