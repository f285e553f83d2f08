namespace Firecrawl.Client.Redis;

/// <summary>
/// The learned pace of <c>Firecrawl.Client</c>'s in-process gate, as Lua that Redis runs atomically, so every process
/// reads and changes one state. Every deadline is a key's TTL (<c>PX</c>, read back with <c>PTTL</c>), so the only clock
/// is the Redis server's and no two machines compare theirs. Every key expires by itself.
/// </summary>
internal static class GateScripts
{
    /// <summary>How long a window is taken to last before a 429 has said, in ms: the in-process gate's own constant.</summary>
    public static readonly long DefaultWindowMs = (long)PaceConstants.DefaultWindow.TotalMilliseconds;

    /// <summary>How long the count of attempts in flight lives without a new one, so a crashed process cannot pin it.</summary>
    public const long InFlightTtlMs = 30_000;

    /// <summary>How long after a window's first answer it is held beyond its learned length, in ms: the in-process gate's own constant.</summary>
    public static readonly long AnsweredMarginMs = (long)PaceConstants.AnsweredMargin.TotalMilliseconds;

    /// <summary>How soon an attempt held by the in-flight bound asks again, in ms: the in-process gate's own constant.</summary>
    public static readonly long InFlightRecheckMs = (long)PaceConstants.InFlightRecheck.TotalMilliseconds;

    /// <summary>
    /// Enter. KEYS: closed, window, pace, inflight. ARGV: default window ms, in-flight bound, recheck ms, in-flight TTL ms,
    /// pace lifetime ms. Returns {wait ms, 1 if counted in flight, the window's number}.
    /// </summary>
    public const string Enter = """
        local closed = redis.call('PTTL', KEYS[1])
        if closed > 0 then return {closed, 0, 0} end
        local limit = tonumber(redis.call('HGET', KEYS[3], 'limit') or '0')
        local window = tonumber(redis.call('HGET', KEYS[3], 'window') or '0')
        local pad = tonumber(redis.call('HGET', KEYS[3], 'pad') or '0')
        local paced = limit > 0 and window > 0
        local cap = tonumber(ARGV[2])
        local bounded = limit == 0 and cap > 0
        if bounded and tonumber(redis.call('GET', KEYS[4]) or '0') >= cap then
          return {tonumber(ARGV[3]), 0, 0}
        end
        local left = redis.call('PTTL', KEYS[2])
        if left > 0 and not redis.call('HGET', KEYS[2], 'length') then left = -2 end
        local seq
        if left <= 0 then
          local length = tonumber(ARGV[1])
          if paced then length = window + pad end
          seq = redis.call('HINCRBY', KEYS[3], 'seq', 1) % 1073741824
          if redis.call('PTTL', KEYS[3]) < 0 then redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[5])) end
          redis.call('DEL', KEYS[2])
          redis.call('HSET', KEYS[2], 'permits', 1, 'answered', 0, 'length', length, 'seq', seq)
          redis.call('PEXPIRE', KEYS[2], length)
        else
          if paced and tonumber(redis.call('HGET', KEYS[2], 'permits') or '0') >= limit then
            return {left, 0, 0}
          end
          redis.call('HINCRBY', KEYS[2], 'permits', 1)
          seq = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0')
        end
        if bounded then
          redis.call('INCR', KEYS[4])
          redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[4]))
          return {0, 1, seq}
        end
        return {0, 0, seq}
        """;

    /// <summary>
    /// Leave. Only an attempt that this very window let through counts in it: its answer times the window again from
    /// now (the server's window opened between the send and the answer), so a window held at the limit can only end
    /// late; its 429 teaches. KEYS: closed, window, pace, inflight. ARGV: counted (0/1), answered (0/1), rate limited
    /// (0/1), padded wait ms (-1 if none), named wait ms (-1 if none), consumed (-1 if unknown), pace lifetime ms, the
    /// window's number, the margin after a first answer ms.
    /// </summary>
    public const string Leave = """
        if ARGV[1] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then
          if redis.call('DECR', KEYS[4]) <= 0 then redis.call('DEL', KEYS[4]) end
        end
        local windowLeft = redis.call('PTTL', KEYS[2])
        local length = 0
        if windowLeft > 0 then
          length = tonumber(redis.call('HGET', KEYS[2], 'length') or '0')
          if length == 0 then
            -- Some servers (Garnet) do not stop the clock during a script: the window expired just now, and whatever
            -- wrote to it after the check made a stray without its fields or its TTL.
            redis.call('DEL', KEYS[2])
            windowLeft = -2
          end
        end
        local thisWindow = windowLeft > 0 and redis.call('HGET', KEYS[2], 'seq') == ARGV[8]
        if ARGV[3] ~= '1' then
          if ARGV[2] == '1' and thisWindow and redis.call('HINCRBY', KEYS[2], 'answered', 1) == 1 then
            local window = tonumber(redis.call('HGET', KEYS[3], 'window') or '0')
            local margin = tonumber(ARGV[9])
            if window > 0 and tonumber(redis.call('HGET', KEYS[3], 'limit') or '0') > 0 then
              redis.call('HSET', KEYS[2], 'length', length - windowLeft + window + margin)
              redis.call('PEXPIRE', KEYS[2], window + margin)
            end
          end
          return 0
        end
        local retry = tonumber(ARGV[4])
        if retry > 0 and retry > redis.call('PTTL', KEYS[1]) then
          redis.call('SET', KEYS[1], '1', 'PX', retry)
        end
        local consumed = tonumber(ARGV[6])
        local limit = nil
        if consumed > 1 then limit = consumed - 1 end
        local known = tonumber(redis.call('HGET', KEYS[3], 'limit') or '0')
        if not thisWindow then
          if limit and known > 0 and limit < known then redis.call('HSET', KEYS[3], 'limit', limit) end
          return 0
        end
        if not limit then
          local answered = tonumber(redis.call('HGET', KEYS[2], 'answered') or '0')
          if answered > 0 then limit = answered end
        end
        local named = tonumber(ARGV[5])
        if limit and named >= 0 then
          local window = math.max(1000, math.floor((length - windowLeft + named) / 1000 + 0.5) * 1000, tonumber(redis.call('HGET', KEYS[3], 'window') or '0'))
          local pad = math.max(0, retry - named)
          if known > 0 and known < limit then limit = known end
          redis.call('HSET', KEYS[3], 'limit', limit, 'window', window, 'pad', pad)
          redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[7]))
        end
        redis.call('DEL', KEYS[2])
        return 0
        """;
}
