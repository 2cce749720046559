namespace Wsdoctor.Conform.Engine;

public sealed partial class CaseRun
{
    /// <summary>Grades the case as Autobahn does: the main behaviour is the first expectation the received list
    /// equals exactly (else FAILED); the close behaviour checks who closed, cleanliness and the peer's code.</summary>
    internal CaseResult Grade(string id, string agent, long durationMs, OpenedConnection connection)
    {
        List<Observation> received;
        lock (gate)
        {
            received = [.. Received];
        }

        string behavior = Grades.Failed;
        string result = "Actual events differ from any expected.";
        foreach (var grade in new[] { Grades.Ok, Grades.NonStrict })
        {
            if (Expected.TryGetValue(grade, out var expected) && Observation.SameSequence(received, expected))
            {
                behavior = grade;
                result = grade == Grades.Ok
                    ? "Actual events match the OK expectation."
                    : $"Actual events match the NON-STRICT expectation only: {(expected.Count == 0 ? "nothing" : string.Join(", ", expected.Select(o => o.Describe())))}.";
                break;
            }
        }

        string behaviorClose;
        string resultClose;
        if (closedByMe is null)
        {
            behaviorClose = Grades.Failed;
            resultClose = "The fuzzer had to drop the TCP connection: no Close frame from either side.";
        }
        else if (closedByMe != ExpectedClose.ClosedByMe)
        {
            behaviorClose = Grades.Failed;
            resultClose = "The connection was failed by the wrong endpoint.";
        }
        else if (ExpectedClose.RequireClean && !wasClean)
        {
            behaviorClose = Grades.Unclean;
            resultClose = "The spec requires the connection to be closed cleanly here.";
        }
        else if (remoteCloseCode is { } code && !ExpectedClose.Codes.Contains(code))
        {
            behaviorClose = Grades.WrongCode;
            resultClose = $"The close code should have been {string.Join(",", ExpectedClose.Codes)} or empty.";
        }
        else if (role == FuzzerRole.Client && droppedByMe && !(peerViolation is not null))
        {
            // RFC 6455 7.1.1: the server should close the TCP connection first.
            behaviorClose = Grades.FailedByClient;
            resultClose = "It is preferred that the server close the TCP connection.";
        }
        else
        {
            behaviorClose = Grades.Ok;
            resultClose = "The connection was properly closed.";
        }

        if (ExpectedClose.WrongEndpointIsFatal && closedByMe != ExpectedClose.ClosedByMe)
        {
            behavior = Grades.Failed;
            result = "The peer did not fail the connection: the fuzzer had to close it.";
        }

        if (forcedBehavior is not null)
        {
            behavior = forcedBehavior;
            result = forcedResult!;
        }

        if (peerViolation is not null)
        {
            result += $" The peer broke a rule: {peerViolation}";
        }

        return new CaseResult
        {
            Id = id,
            Agent = agent,
            Behavior = behavior,
            BehaviorClose = behaviorClose,
            Result = result,
            ResultClose = resultClose,
            DurationMs = durationMs,
            RemoteCloseCode = remoteCloseCode,
            RemoteCloseReason = remoteCloseReason,
            LocalCloseCode = localCloseCode,
            WasClean = wasClean,
            ClosedByMe = closedByMe,
            DroppedByMe = droppedByMe,
            Expected = Expected.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value.Select(o => o.Describe())]),
            ExpectedCloseText = ExpectedClose.Describe(),
            Received = [.. received.Take(50).Select(o => o.Describe())],
            WireLog = Log.Entries,
            WireLogDropped = Log.Dropped,
            HttpRequest = connection.RequestText,
            HttpResponse = connection.ResponseText,
            PeerViolation = peerViolation,
        };
    }
}
