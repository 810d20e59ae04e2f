-- ---------------------------------------------------------------------------------------------
-- The engine: fixed code that walks the tables above. It reads what Wireshark's DCE/RPC
-- dissector already found (packet type, call id, context id, opnum, the bind's interface and
-- transfer syntax, the stub bytes) as a post-dissector, so it works whether or not Wireshark's
-- own `tapi` dissector is enabled, over TCP and over SMB2 named pipes, in NDR20 and NDR64.
-- ---------------------------------------------------------------------------------------------

local band, bor, bnot = bit32.band, bit32.bor, bit32.bnot
local ABSENT = 0xFFFFFFFF

local mstrp = Proto("mstrp", "Microsoft Telephony Remote Protocol [MS-TRP]")
mstrp.prefs.decode_unknown = Pref.bool("Assume tapsrv without a bind", false,
    "Read requests and responses of a DCE/RPC context whose bind the capture lacks as tapsrv/NDR20")

local pf = {}
local all = {}
local function reg(key, field)
  pf[key] = field
  all[#all + 1] = field
end

reg("function", ProtoField.string("mstrp.function", "Function"))
reg("req_func", ProtoField.uint32("mstrp.req_func", "Req_Func", base.DEC))
reg("known_as", ProtoField.string("mstrp.known_as", "Known as (undocumented Req_Func)"))
reg("return_value", ProtoField.uint32("mstrp.return_value", "Ack_ReturnValue", base.HEX))
reg("result", ProtoField.string("mstrp.result", "Result"))
reg("event", ProtoField.string("mstrp.event", "Event"))
reg("completion", ProtoField.string("mstrp.completion", "Special-case completion"))
reg("interface", ProtoField.string("mstrp.interface", "Interface"))
reg("method", ProtoField.string("mstrp.method", "Method"))
reg("direction", ProtoField.string("mstrp.direction", "Direction"))
reg("syntax", ProtoField.string("mstrp.syntax", "Transfer syntax"))
reg("structure", ProtoField.string("mstrp.structure", "Structure"))
reg("rule", ProtoField.string("mstrp.rule", "Validation rule"))
reg("error", ProtoField.string("mstrp.error", "Error code"))
reg("data", ProtoField.bytes("mstrp.data", "Data"))
reg("var_data", ProtoField.bytes("mstrp.var_data", "VarData"))
reg("phContext", ProtoField.bytes("mstrp.phContext", "Context handle"))
reg("lNeededSize", ProtoField.int32("mstrp.lNeededSize", "lNeededSize"))
reg("plUsedSize", ProtoField.int32("mstrp.plUsedSize", "plUsedSize"))
reg("lSize", ProtoField.int32("mstrp.lSize", "lSize"))
reg("lProcessID", ProtoField.int32("mstrp.lProcessID", "lProcessID"))
reg("pszDomainUser", ProtoField.string("mstrp.pszDomainUser", "pszDomainUser"))
reg("pszMachine", ProtoField.string("mstrp.pszMachine", "pszMachine"))
reg("phAsyncEventsEvent", ProtoField.int32("mstrp.phAsyncEventsEvent", "phAsyncEventsEvent"))
reg("rpc_return", ProtoField.int32("mstrp.rpc_return", "Return value (long)"))

local spec = {}
for _, s in ipairs(SPEC_FIELDS) do
  local name, kind = s[1], s[2]
  local f
  if kind == "string" then
    f = ProtoField.string("mstrp." .. name, name)
  elseif kind == "bytes" then
    f = ProtoField.bytes("mstrp." .. name, name)
  elseif kind == "guid" then
    f = ProtoField.guid("mstrp." .. name, name)
  else
    f = ProtoField.uint32("mstrp." .. name, name, base.HEX_DEC)
  end
  spec[name] = { field = f, kind = kind }
  all[#all + 1] = f
end
mstrp.fields = all

local ef_rule = ProtoExpert.new("mstrp.rule_violated", "Validation rule violated",
    expert.group.MALFORMED, expert.severity.WARN)
local ef_malformed = ProtoExpert.new("mstrp.malformed", "Malformed MS-TRP data",
    expert.group.MALFORMED, expert.severity.ERROR)
local ef_error = ProtoExpert.new("mstrp.failed", "The request failed",
    expert.group.RESPONSE_CODE, expert.severity.NOTE)
mstrp.experts = { ef_rule, ef_malformed, ef_error }

-- DCE/RPC fields read from Wireshark's own dissector.
local f_dcerpc = Field.new("dcerpc")
local f_pkt_type = Field.new("dcerpc.pkt_type")
local f_call_id = Field.new("dcerpc.cn_call_id")
local f_ctx_id = Field.new("dcerpc.cn_ctx_id")
local f_opnum = Field.new("dcerpc.opnum")
local f_payload = Field.new("dcerpc.payload_stub_data")
local f_stub = Field.new("dcerpc.stub_data")
local f_bind_uuid = Field.new("dcerpc.cn_bind_to_uuid")
local f_ack_result = Field.new("dcerpc.cn_ack_result")
local f_ack_trans = Field.new("dcerpc.cn_ack_trans_id")
local f_request_in = Field.new("dcerpc.request_in")
local f_first_frag = Field.new("dcerpc.cn_flags.first_frag")
local f_last_frag = Field.new("dcerpc.cn_flags.last_frag")
local f_tcp_stream = Field.new("tcp.stream")
local f_smb2_fid = Field.new("smb2.fid")

-- State built on the first pass, in frame order; read again when a frame is redissected.
local contexts = {}   -- conversation key -> ctx_id -> { iface = "tapsrv"|"remotesp", ndr64 = bool }
local pending = {}    -- conversation key -> list of { ctx_id, iface } offered by the last bind
local requests = {}   -- conversation key .. "/" .. call_id -> { func = Req_Func, frame = n }
local opnums_of = {}  -- conversation key .. "/" .. call_id -> opnum of the request
local async_ids = {}  -- request id -> Req_Func of the asynchronous request it answers
local per_frame = {}  -- frame number -> list of per-PDU decisions

local function hex(range)
  return tostring(range:bytes()):lower()
end

local function u32(tvb, off)
  return tvb:range(off, 4):le_uint()
end

local function err_name(v)
  return ERRORS[v]
end

local function result_name(func, v)
  if v == 0 then return "success" end
  local d = FUNCS[func]
  if d and d.async and v <= 0x7FFFFFFF then return "request_id" end
  return ERRORS[v] or "unknown"
end

-- The checked (offset, size) resolver of the crate's vardata module, over VarData of `len`
-- bytes: returns the start or nil and the failure ("misaligned", "outside", "beyond").
local function resolve(len, off, size, align)
  if off % align ~= 0 then return nil, "misaligned" end
  if off > len then return nil, "outside" end
  if off + size > 0xFFFFFFFF then return nil, "overflow" end
  if off + size > len then return nil, "beyond" end
  return off
end

-- A NUL-terminated UTF-16 string at `off` of `tvb` (absolute), within `stop`: byte length
-- without the NUL, or nil.
local function wstr_len(tvb, off, stop)
  local p = off
  while p + 2 <= stop do
    if tvb:range(p, 2):le_uint() == 0 then return p - off end
    p = p + 2
  end
  return nil
end

local function text_at(tvb, off, n)
  if n == 0 then return "" end
  return tvb:range(off, n):le_ustring()
end

local function add_spec(tree, name, tvb, off, len, value)
  local s = spec[name]
  if s == nil then
    return tree:add(tvb:range(off, len), name)
  end
  if value ~= nil then
    return tree:add(s.field, tvb:range(off, len), value)
  end
  if s.kind == "u32" then
    return tree:add_le(s.field, tvb:range(off, len))
  end
  return tree:add(s.field, tvb:range(off, len))
end

local function add_u32(tree, name, tvb, off)
  local s = spec[name]
  local v = u32(tvb, off)
  if s ~= nil and s.kind == "u32" then
    return tree:add_le(s.field, tvb:range(off, 4)), v
  end
  return tree:add(tvb:range(off, 4), string.format("%s: 0x%08x", name, v)), v
end

-- ---------------------------------------------------------------------------------------------
-- 2.2.6 structures
-- ---------------------------------------------------------------------------------------------

local dissect_structure

local function dissect_var_item(tree, tvb, base, len, v, dwords, sdesc, depth)
  local size = dwords[v.size_at] or 0
  local off = dwords[v.off_at] or 0
  if size == 0 then return end
  local start, why = resolve(len, off, size, 1)
  if start == nil then
    tree:add_proto_expert_info(ef_malformed, string.format("%s.%s: offset 0x%x size %d: %s",
        sdesc.name, v.name, off, size, why))
    return
  end
  local a = base + start
  if v.kind == "text" or v.kind == "multi_text" then
    local n = size - (size % 2)
    local t = text_at(tvb, a, n):gsub("%z+$", "")
    add_spec(tree, v.name, tvb, a, size, t)
  elseif v.kind == "ascii" then
    local t = tvb:range(a, size):string():gsub("%z+$", "")
    add_spec(tree, v.name, tvb, a, size, t)
  elseif v.kind == "text_table" then
    local es = dwords[v.entry_size_at] or 0
    if es == 0 then
      add_spec(tree, v.name, tvb, a, size, "")
      return
    end
    local p = 0
    while p + es <= size do
      local t = text_at(tvb, a + p, es - (es % 2)):gsub("%z+$", "")
      add_spec(tree, v.name, tvb, a + p, es, t)
      p = p + es
    end
  elseif v.kind == "entries" or v.kind == "inline_entries" then
    local e = STRUCTS[v.entry]
    local es = e and e.size or 0
    if es == 0 then return end
    local count = math.floor(size / es)
    if v.count_at ~= nil and dwords[v.count_at] ~= nil and dwords[v.count_at] < count then
      count = dwords[v.count_at]
    end
    local sub = tree:add(tvb:range(a, size), string.format("%s (%d entries)", v.name, count))
    for i = 0, count - 1 do
      -- Entries point into the enclosing structure: their offsets are from its start.
      dissect_structure(sub, tvb, a + i * es, es, v.entry, depth + 1, base, len)
    end
  else
    add_spec(tree, v.name, tvb, a, size)
  end
end

-- The structure `name` at absolute offset `at` of `tvb`, `avail` bytes available. `base` and
-- `len` locate the block its variable parts' offsets count from (the structure itself, unless
-- it is an entry of another).
dissect_structure = function(tree, tvb, at, avail, name, depth, base, len)
  local d = STRUCTS[name]
  if d == nil or depth > 8 then return end
  local total = avail
  if d.self_sized then
    if avail < 4 then
      tree:add_proto_expert_info(ef_malformed, name .. ": shorter than dwTotalSize")
      return
    end
    total = u32(tvb, at)
    if total > avail then total = avail end
  end
  local fixed = d.min
  if total < fixed then fixed = total end
  local st = tree:add(tvb:range(at, total), name .. " (" .. d.section .. ")")
  st:add(pf.structure, tvb:range(at, total), name)
  local dwords = {}
  for _, m in ipairs(d.fields) do
    local mo, ms = m[2], m[3]
    if mo + ms <= total and (mo + ms <= fixed or m[5]) then
      if m[4] == "dword" then
        local _, v = add_u32(st, m[1], tvb, at + mo)
        dwords[mo] = v
      else
        add_spec(st, m[1], tvb, at + mo, ms)
      end
    end
  end
  if base == nil then base, len = at, total end
  for _, v in ipairs(d.vars) do
    dissect_var_item(st, tvb, base, len, v, dwords, d, depth)
  end
  return st
end

-- ---------------------------------------------------------------------------------------------
-- Validation (3.1.4.2): the stateless rules whose check the table could express.
-- ---------------------------------------------------------------------------------------------

local function bits_ok(v, mask, how)
  local one = v ~= 0 and band(v, v - 1) == 0 and band(v, bnot(mask)) == 0
  if how == "one" then return one end
  if how == "zero_or_one" then return v == 0 or one end
  if how == "subset" then return band(v, bnot(mask)) == 0 end
  return v ~= 0 and band(v, bnot(mask)) == 0
end

local function guard_holds(g, dw)
  if g == nil then return true end
  local k, i, v = g[1], g[2], g[3]
  if k == "present" then return dw[i] ~= ABSENT end
  if k == "eq" then return dw[i] == v end
  if k == "any" then return band(dw[i], v) ~= 0 end
  if k == "nonzero" then return dw[i] ~= 0 end
  return true
end

-- The reference checks of the crate's validation engine: a failure of the kinds `fails`
-- accepts is a violation, an absent reference too.
local function ref_check(dw, i, varlen, size, align, fails, tvb, vbase, string)
  local raw = dw[i]
  if raw == ABSENT then return true end
  local start, why = resolve(varlen, raw, size, align)
  if start == nil then return fails[why] == true end
  if string then
    if wstr_len(tvb, vbase + start, vbase + varlen) == nil then return fails.unterminated == true end
  end
  return false
end

local ANY = { misaligned = true, outside = true, overflow = true, beyond = true, unterminated = true, too_small = true }

local function violated(c, dw, tvb, vbase, varlen, capacity)
  local k = c[1]
  if k == "str_aligned" then
    return ref_check(dw, c[2], varlen, 0, 2, { misaligned = true })
  elseif k == "str_within" then
    return ref_check(dw, c[2], varlen, 0, 1, { outside = true })
  elseif k == "str_terminated" then
    return ref_check(dw, c[2], varlen, 0, 1, { unterminated = true }, tvb, vbase, true)
  elseif k == "str" then
    return ref_check(dw, c[2], varlen, 0, 2, ANY, tvb, vbase, true)
  elseif k == "aligned_within" then
    return ref_check(dw, c[2], varlen, 0, 4, { misaligned = true, outside = true })
  elseif k == "extent" then
    return ref_check(dw, c[2], varlen, dw[c[3]], 1, { overflow = true, beyond = true })
  elseif k == "block" then
    return ref_check(dw, c[2], varlen, dw[c[3]], 4, ANY)
  elseif k == "fits" then
    local raw = dw[c[2]]
    if raw == ABSENT then return true end
    local start, why = resolve(varlen, raw, 4, 1)
    if start == nil then return why ~= "misaligned" end
    local total = u32(tvb, vbase + start)
    if total < 4 then return true end
    local s2, why2 = resolve(varlen, raw, total, 1)
    if s2 == nil then return why2 ~= "misaligned" end
    local s3, why3 = resolve(varlen, raw, c[3], 1)
    if s3 == nil then return why3 ~= "misaligned" end
    return false
  elseif k == "resolves_string" then
    return ref_check(dw, c[2], varlen, 0, 2, ANY, tvb, vbase, true)
  elseif k == "resolves_bytes" then
    return ref_check(dw, c[2], varlen, dw[c[3]], 4, ANY)
  elseif k == "resolves_structure" then
    local raw = dw[c[2]]
    if raw == ABSENT then return true end
    local start = resolve(varlen, raw, 4, 4)
    if start == nil then return true end
    local total = u32(tvb, vbase + start)
    if total < 4 then return true end
    return resolve(varlen, raw, total, 4) == nil
  elseif k == "var_data_at_least" then
    local b = c[2] == "field" and dw[c[3]] or c[3]
    return capacity < b
  elseif k == "at_least" then
    local b = c[3] == "field" and dw[c[4]] or c[4]
    return dw[c[2]] < b
  elseif k == "at_most" then
    return dw[c[2]] > c[3]
  elseif k == "multiple_of" then
    return c[3] ~= 0 and dw[c[2]] % c[3] ~= 0
  elseif k == "nonzero" then
    return dw[c[2]] == 0
  elseif k == "equals" then
    return dw[c[2]] ~= c[3]
  elseif k == "bits" then
    return not bits_ok(dw[c[2]], c[3], c[4])
  elseif k == "version" then
    for _, v in ipairs(c[3]) do
      if dw[c[2]] == v then return false end
    end
    return true
  elseif k == "not_greater" then
    return dw[c[2]] > dw[c[3]]
  elseif k == "version_between" then
    local lo, hi = dw[c[2]], dw[c[3]]
    for _, v in ipairs(TAPI_VERSIONS) do
      if lo <= v and v <= hi then return false end
    end
    return true
  end
  return false
end

local function validate(tree, func, dw, tvb, vbase, varlen, capacity)
  local rules = RULES[func]
  if rules == nil then return end
  for _, r in ipairs(rules) do
    if guard_holds(r.guard, dw) and violated(r.check, dw, tvb, vbase, varlen, capacity) then
      local item = tree:add(pf.rule, tvb:range(vbase - 60, 60), r.id)
      item:append_text(string.format(" (%s, %s)", r.field, r.err))
      item:add(pf.error, r.err)
      item:add_proto_expert_info(ef_rule, string.format("[MS-TRP] %s rule %s: %s -> %s (0x%08x)",
          r.section, r.id, r.field, r.err, r.errv))
    end
  end
end

-- ---------------------------------------------------------------------------------------------
-- TAPI32_MSG: requests (2.2.4.1) and replies (2.2.5.2)
-- ---------------------------------------------------------------------------------------------

local function dissect_request(tree, tvb, at, n, capacity, pinfo)
  if n < 60 then
    tree:add_proto_expert_info(ef_malformed, string.format("TAPI32_MSG of %d bytes: shorter than its 60-byte fixed part", n))
    return nil
  end
  local func = u32(tvb, at)
  local d = FUNCS[func]
  local t = tree:add(tvb:range(at, n), "TAPI32_MSG")
  t:add_le(pf.req_func, tvb:range(at, 4))
  if d then
    t:add(pf["function"], tvb:range(at, 4), d.name)
    t:append_text(string.format(": %s (%s, [MS-TRP] %s)", d.name, d.ident, d.section))
  else
    t:add(pf["function"], tvb:range(at, 4), "Unknown")
    t:append_text(string.format(": Req_Func %d, not documented by [MS-TRP]", func))
    if KNOWN_AS[func] then
      t:add(pf.known_as, tvb:range(at, 4), KNOWN_AS[func])
    end
  end
  local varlen = n - 60
  local vbase = at + 60
  local dw = {}
  for i = 0, 14 do dw[i] = u32(tvb, at + 4 * i) end
  local fields = d and d.fields or UNKNOWN_FIELDS
  for i = 1, 14 do
    local f = fields[i]
    local name, kind = f[1], f[2]
    local off = at + 4 * i
    local raw = dw[i]
    if kind == "string" then
      if raw == ABSENT then
        t:add(tvb:range(off, 4), name .. ": 0xffffffff (absent)")
      else
        local start, why = resolve(varlen, raw, 0, 2)
        local len = start and wstr_len(tvb, vbase + start, vbase + varlen)
        if len ~= nil then
          local item = add_spec(t, name, tvb, vbase + start, len + 2, text_at(tvb, vbase + start, len))
          item:append_text(string.format(" (offset 0x%x)", raw))
        else
          t:add(tvb:range(off, 4), string.format("%s: offset 0x%x (%s)", name, raw, why or "unterminated"))
              :add_proto_expert_info(ef_malformed, string.format("%s.%s: offset 0x%x does not resolve (%s)",
                  d.ident, name, raw, why or "unterminated"))
        end
      end
    else
      local item = add_u32(t, name, tvb, off)
      if kind == "bytes" and raw ~= ABSENT then
        local size = dw[f[3]]
        local start = resolve(varlen, raw, size, 4)
        if start ~= nil and size > 0 then
          item:add(pf.data, tvb:range(vbase + start, size))
        end
      elseif kind == "structure" and raw ~= ABSENT then
        local start = resolve(varlen, raw, 4, 4)
        if start ~= nil then
          dissect_structure(item, tvb, vbase + start, varlen - start, f[3], 0)
        end
      elseif kind == "handle" then
        item:append_text(" (" .. f[3] .. ")")
      end
    end
  end
  if varlen > 0 then t:add(pf.var_data, tvb:range(vbase, varlen)) end
  if d then validate(t, func, dw, tvb, vbase, varlen, capacity) end
  return func
end

local dissect_events

local function dissect_reply(tree, tvb, at, n, func, pinfo)
  if n < 60 then
    tree:add_proto_expert_info(ef_malformed, string.format("reply of %d bytes: shorter than its 60-byte fixed part", n))
    return
  end
  local t = tree:add(tvb:range(at, n), "TAPI32_MSG (reply)")
  local rv = u32(tvb, at)
  local ritem = t:add_le(pf.return_value, tvb:range(at, 4))
  local d = func and FUNCS[func]
  if func == nil then
    local name = ERRORS[rv] or (rv == 0 and "success" or "unknown")
    ritem:append_text(" (" .. name .. "; the request was not seen)")
    return
  end
  local res = result_name(func, rv)
  t:add(pf.result, tvb:range(at, 4), res)
  t:add(pf["function"], d and d.name or "Unknown")
  t:add(pf.req_func, func)
  ritem:append_text(" (" .. res .. ")")
  t:append_text(string.format(": %s -> %s", d and d.name or ("Req_Func " .. func), res))
  if ERRORS[rv] then
    ritem:add_proto_expert_info(ef_error, (d and d.name or "request") .. " failed: " .. ERRORS[rv])
  end
  if d and d.async and res == "request_id" then
    async_ids[rv] = func
  end
  if d == nil then return end
  local varlen = n - 60
  local vbase = at + 60
  local dw = {}
  for i = 0, 14 do dw[i] = u32(tvb, at + 4 * i) end
  for i = 1, 14 do
    local f = d.fields[i]
    local name, role = f[1], f[4]
    local off = at + 4 * i
    if role == "struct" then
      local item = add_u32(t, name, tvb, off)
      local raw = dw[i]
      if rv == 0 and raw ~= ABSENT then
        local start = resolve(varlen, raw, 4, 4)
        if start ~= nil then
          dissect_structure(item, tvb, vbase + start, varlen - start, f[5], 0)
        end
      end
    elseif role == "data" then
      local item = add_u32(t, name, tvb, off)
      local raw, size = dw[i], dw[f[5]]
      if rv == 0 and raw ~= ABSENT then
        local start = resolve(varlen, raw, size, 1)
        if start ~= nil and size > 0 then item:add(pf.data, tvb:range(vbase + start, size)) end
      end
    elseif role == "filled" then
      add_u32(t, name, tvb, off)
    else
      t:add(tvb:range(off, 4), string.format("%s: 0x%08x (echoed)", name, dw[i]))
    end
  end
  if func == 0 and rv == 0 then
    -- GetAsyncEvents (2.2.4.1.8.1): dwUsedBufferSize bytes of ASYNCEVENTMSG in VarData.
    local used = dw[3]
    if used > varlen then used = varlen end
    if used > 0 then dissect_events(t, tvb, vbase, used, pinfo) end
  elseif varlen > 0 then
    t:add(pf.var_data, tvb:range(vbase, varlen))
  end
end

-- ---------------------------------------------------------------------------------------------
-- ASYNCEVENTMSG streams (2.2.4.2, 3.3.4.2)
-- ---------------------------------------------------------------------------------------------

dissect_events = function(tree, tvb, at, n, pinfo)
  local t = tree:add(tvb:range(at, n), "ASYNCEVENTMSG stream")
  local off, index = 0, 0
  while off < n do
    if n - off < 40 then
      t:add_proto_expert_info(ef_malformed, string.format("event %d at byte %d: %d bytes left, less than the 40-byte ASYNCEVENTMSG", index, off, n - off))
      return
    end
    local total = u32(tvb, at + off)
    if total < 40 or total % 4 ~= 0 or total > n - off then
      t:add_proto_expert_info(ef_malformed, string.format("event %d at byte %d: TotalSize %d is not a DWORD multiple of at least 40 within the buffer", index, off, total))
      return
    end
    local a = at + off
    local msg = u32(tvb, a + 16)
    local d = EVENTS[msg]
    local name = d and d.name or string.format("Msg 0x%08x", msg)
    local e = t:add(tvb:range(a, total), string.format("Event %d: %s", index, name))
    e:add(pf.event, tvb:range(a + 16, 4), d and d.name or "Unknown")
    local fields = d and d.fields or TEMPLATE_FIELDS
    if d and d.reply_id then
      local id = u32(tvb, a + 4 * d.reply_id)
      local func = async_ids[id]
      if func ~= nil and SPECIAL[func] then
        d = SPECIAL[func]
        fields = d.fields
        e:add(pf.completion, d.name)
        e:append_text(" (" .. d.name .. ")")
      end
    end
    local dwords = {}
    for i, f in ipairs(fields) do
      local fo = 4 * (i - 1)
      if fo + 4 <= total then
        local _, v = add_u32(e, f, tvb, a + fo)
        dwords[i - 1] = v
      end
    end
    local fixed = 4 * #fields
    if d and d.var and fixed < total then
      local v = d.var
      local vlen = total - fixed
      if v[1] == "wchars" then
        local cnt = (dwords[v[2]] or 0) * 2
        if cnt <= vlen and cnt > 0 then
          e:add(tvb:range(a + fixed, cnt), "Digits: " .. text_at(tvb, a + fixed, cnt))
        end
      elseif v[1] == "string_at" then
        local so, ss = dwords[v[2]] or 0, dwords[v[3]] or 0
        if so + ss <= total and ss > 0 then
          local txt = text_at(tvb, a + so, ss - ss % 2):gsub("%z+$", "")
          e:add(tvb:range(a + so, ss), "String: " .. txt)
        end
      elseif v[1] == "structure" then
        dissect_structure(e, tvb, a + fixed, vlen, v[2], 0)
      elseif v[1] == "sized" then
        local size = dwords[v[2]] or 0
        if size <= vlen and size > 0 then
          if v[3] then
            dissect_structure(e, tvb, a + fixed, size, v[3], 0)
          else
            e:add(pf.data, tvb:range(a + fixed, size))
          end
        end
      end
    end
    off = off + total
    index = index + 1
  end
end

-- ---------------------------------------------------------------------------------------------
-- The NDR stubs of the six methods ([MS-TRP] 6; NDR20 and NDR64 layouts of the design note)
-- ---------------------------------------------------------------------------------------------

local function align(off, n)
  local r = off % n
  if r == 0 then return off end
  return off + n - r
end

-- A conformant-varying array's header at `off`: max, offset, actual; returns the data offset.
local function cva(tree, st, off, ndr64)
  local w = ndr64 and 8 or 4
  if ndr64 then off = align(off, 8) end
  if off + 3 * w > st:len() then return nil end
  local actual
  if ndr64 then
    actual = st:range(off + 16, 8):le_uint64():tonumber()
  else
    actual = st:range(off + 8, 4):le_uint()
  end
  local max = ndr64 and st:range(off, 8):le_uint64():tonumber() or st:range(off, 4):le_uint()
  tree:add(st:range(off, w), "max_count: " .. max)
  tree:add(st:range(off + 2 * w, w), "actual_count: " .. actual)
  return off + 3 * w, actual
end

local function wstr(tree, st, off, ndr64, field)
  local data, actual = cva(tree, st, off, ndr64)
  if data == nil or data + 2 * actual > st:len() then return nil end
  local n = 2 * actual
  local txt = n >= 2 and text_at(st, data, n - 2) or ""
  tree:add(field, st:range(data, n), txt)
  return data + n
end

local function dissect_stub(root, st, iface, opnum, is_request, ndr64, req_key, pinfo, request_func)
  local m = METHODS[iface][opnum]
  if m == nil then return end
  root:add(pf.interface, iface)
  root:add(pf.method, m)
  root:add(pf.direction, is_request and "request" or "response")
  root:add(pf.syntax, ndr64 and "NDR64" or "NDR20")
  root:append_text(string.format(", %s.%s %s", iface, m, is_request and "request" or "response"))
  local len = st:len()
  local ok = pcall(function()
    if m == "ClientAttach" then
      if is_request then
        root:add_le(pf.lProcessID, st:range(0, 4))
        local nx = wstr(root, st, 4, ndr64, pf.pszDomainUser)
        if nx then wstr(root, st, align(nx, 4), ndr64, pf.pszMachine) end
      else
        root:add(pf.phContext, st:range(0, 20))
        root:add_le(pf.phAsyncEventsEvent, st:range(20, 4))
        root:add_le(pf.rpc_return, st:range(24, 4))
      end
    elseif m == "ClientRequest" then
      local off = 0
      if is_request then
        root:add(pf.phContext, st:range(0, 20))
        off = 20
      end
      local data, actual = cva(root, st, off, ndr64)
      if data == nil or data + actual > len then
        root:add_proto_expert_info(ef_malformed, "pBuffer overruns the stub")
        return
      end
      local tail = align(data + actual, 4)
      local needed = nil
      if is_request and tail + 8 <= len then
        root:add_le(pf.lNeededSize, st:range(tail, 4))
        root:add_le(pf.plUsedSize, st:range(tail + 4, 4))
        needed = st:range(tail, 4):le_int()
      elseif not is_request and tail + 4 <= len then
        root:add_le(pf.plUsedSize, st:range(tail, 4))
      end
      if is_request then
        local capacity = (needed and needed >= 60) and needed - 60 or actual - 60
        local func = dissect_request(root, st, data, actual, capacity, pinfo)
        if func ~= nil and not pinfo.visited then
          requests[req_key] = func
          requests[req_key:gsub("@%d+$", "")] = func
        end
        if func ~= nil and FUNCS[func] then
          pinfo.cols.info:append(" " .. FUNCS[func].name)
        end
      else
        dissect_reply(root, st, data, actual, request_func, pinfo)
      end
    elseif m == "RemoteSPEventProc" then
      if is_request then
        root:add(pf.phContext, st:range(0, 20))
        local data, actual = cva(root, st, 20, ndr64)
        if data == nil or data + actual > len then
          root:add_proto_expert_info(ef_malformed, "pBuffer overruns the stub")
          return
        end
        local tail = align(data + actual, 4)
        if tail + 4 <= len then root:add_le(pf.lSize, st:range(tail, 4)) end
        if actual > 0 then dissect_events(root, st, data, actual, pinfo) end
      end
    elseif m == "RemoteSPAttach" then
      if not is_request and len >= 24 then
        root:add(pf.phContext, st:range(0, 20))
        root:add_le(pf.rpc_return, st:range(20, 4))
      end
    else
      if len >= 20 then root:add(pf.phContext, st:range(0, 20)) end
    end
  end)
  if not ok then
    root:add_proto_expert_info(ef_malformed, "the stub ends early")
  end
end

-- ---------------------------------------------------------------------------------------------
-- The post-dissector: match DCE/RPC PDUs of the frame with their fields
-- ---------------------------------------------------------------------------------------------

local function src_of(fi)
  return tostring(fi.source)
end

local function inside(fi, pdu)
  return src_of(fi) == pdu.src and fi.offset >= pdu.offset and fi.offset < pdu.offset + pdu.len
end

local function first_in(list, pdu)
  for _, fi in ipairs(list) do
    if inside(fi, pdu) then return fi end
  end
  return nil
end

local function all_in(list, pdu)
  local out = {}
  for _, fi in ipairs(list) do
    if inside(fi, pdu) then out[#out + 1] = fi end
  end
  return out
end

local function conversation_key()
  local fid = { f_smb2_fid() }
  if #fid > 0 then return "smb2:" .. hex(fid[1].range) end
  local s = f_tcp_stream()
  if s then return "tcp:" .. tostring(s.value) end
  return "other"
end

function mstrp.dissector(tvb, pinfo, tree)
  local pdus_fi = { f_dcerpc() }
  if #pdus_fi == 0 then return end
  local types = { f_pkt_type() }
  local call_ids = { f_call_id() }
  local ctx_ids = { f_ctx_id() }
  local opnums = { f_opnum() }
  local stubs = { f_payload() }
  if #stubs == 0 then stubs = { f_stub() } end
  local uuids = { f_bind_uuid() }
  local results = { f_ack_result() }
  local transfers = { f_ack_trans() }
  local req_ins = { f_request_in() }
  local firsts = { f_first_frag() }
  local lasts = { f_last_frag() }
  local key = conversation_key()
  local used = {}
  for _, p in ipairs(pdus_fi) do
    local pdu = { src = src_of(p), offset = p.offset, len = p.len }
    local ty = first_in(types, pdu)
    local ty_v = ty and ty.value
    if ty_v == 11 or ty_v == 14 then
      -- bind / alter_context: the offered contexts, in order
      if not pinfo.visited then
        local offered = {}
        local ids = all_in(ctx_ids, pdu)
        local us = all_in(uuids, pdu)
        for i, u in ipairs(us) do
          local iface = INTERFACES[hex(u.range)]
          offered[#offered + 1] = { ctx = ids[i] and ids[i].value, iface = iface }
        end
        pending[key] = offered
      end
    elseif ty_v == 12 or ty_v == 15 then
      if not pinfo.visited and pending[key] then
        local rs = all_in(results, pdu)
        local ts = all_in(transfers, pdu)
        contexts[key] = contexts[key] or {}
        for i, r in ipairs(rs) do
          local o = pending[key][i]
          if o and r.value == 0 and o.iface and o.ctx ~= nil then
            contexts[key][o.ctx] = { iface = o.iface, ndr64 = ts[i] ~= nil and hex(ts[i].range) == NDR64_UUID }
          end
        end
        pending[key] = nil
      end
    elseif ty_v == 0 or ty_v == 2 then
      local ctx = first_in(ctx_ids, pdu)
      local call = first_in(call_ids, pdu)
      local op = first_in(opnums, pdu)
      local first = first_in(firsts, pdu)
      local last = first_in(lasts, pdu)
      local whole = (first == nil or first.value) and (last == nil or last.value)
      local st = nil
      if whole then st = first_in(stubs, pdu) end
      if st == nil and (last == nil or last.value) then
        -- the last fragment: the reassembled stub lives in its own data source
        for i, s in ipairs(stubs) do
          if not used[i] then
            local mine = true
            for _, q in ipairs(pdus_fi) do
              if src_of(s) == src_of(q) then mine = false end
            end
            if mine then st = s; used[i] = true; break end
          end
        end
      end
      if not whole and st == nil then op = nil end
      if not whole and st == nil and ty_v == 2 then call = nil end
      local c = ctx and contexts[key] and contexts[key][ctx.value]
      if c == nil and mstrp.prefs.decode_unknown and ctx ~= nil then
        c = { iface = "tapsrv", ndr64 = false }
      end
      local opv = op and op.value
      if call ~= nil then
        local k = key .. "/" .. call.value
        if ty_v == 0 and opv ~= nil and not pinfo.visited then
          opnums_of[k] = opv
        elseif ty_v == 2 and opv == nil and (whole or st ~= nil) then
          -- without the bind Wireshark does not match the response; the request did
          opv = opnums_of[k]
        end
      end
      if c and opv ~= nil and call then
        local is_request = ty_v == 0
        local root = tree:add(mstrp, st and st.range or p.range)
        local func = nil
        local req_key = key .. "/" .. call.value
        if is_request then
          req_key = req_key .. "@" .. pinfo.number
        else
          local rin = first_in(req_ins, pdu)
          if rin ~= nil then req_key = req_key .. "@" .. rin.value end
          func = requests[req_key] or requests[key .. "/" .. call.value]
        end
        local stub_tvb = st and st.range:tvb() or ByteArray.new(""):tvb("empty stub")
        dissect_stub(root, stub_tvb, c.iface, opv, is_request, c.ndr64, req_key, pinfo, func)
        pinfo.cols.protocol = "MS-TRP"
      end
    end
  end
end

register_postdissector(mstrp, true)
