;; scanFields (scan-event-fields.ts) in WebAssembly: the same validating scan of one row, for
;; the sort workers, which read their input straight into this module's memory. The JS scanner
;; is the reference; a property test holds the two to the same answers on every row.
;;
;; Memory: the result at RESULT (7 i32: visitStart, visitEnd, visitEscaped, timeStart, timeEnd,
;; timeIsString, timeEscaped, as offsets into memory), days per month at 32, then the caller's
;; rows from BLOCK on.
;; As in the JS scanner, the byte at `end` must be a newline or CR (it may be read), and a few
;; bytes past it are read when a literal or \u escape runs up to it: memory has room for them.
;; Strings are skipped sixteen bytes at a time with WebAssembly SIMD (fixed-width 128-bit, in
;; V8 since 2021: SSE4.1 on x64, NEON on arm64), never reading past `end`.
(module
  (memory (export "memory") 18)
  (global (export "RESULT") i32 (i32.const 0))
  (global (export "BLOCK") i32 (i32.const 64))
  (data (i32.const 32) "\1f\1d\1f\1e\1f\1e\1f\1f\1e\1f\1e\1f")
  ;; Set by $string: the string just scanned holds a backslash escape.
  (global $escape (mut i32) (i32.const 0))

  ;; Helpers are written out where they are used, not called: V8 (Node 20) does not inline
  ;; WebAssembly calls, and the calls cost a third of the scan. The same goes for whitespace:
  ;; one space is skipped in line, and $skip_space called only if more may follow.
  (func $is_hex (param $c i32) (result i32)
    (i32.or
      (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))
      ;; A-F or a-f: fold to lowercase.
      (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6))))

  (func $skip_space (param $i i32) (param $n i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load8_u (local.get $i)))
        ;; Space, or tab, newline, CR: c - 9 in {0, 1, 4}.
        (if (i32.ne (local.get $c) (i32.const 0x20))
          (then
            (br_if $done (i32.ge_u (i32.sub (local.get $c) (i32.const 9)) (i32.const 5)))
            (br_if $done (i32.eqz (i32.and (i32.shl (i32.const 1) (i32.sub (local.get $c) (i32.const 9))) (i32.const 0x13))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  ;; From just past an opening quote: the index past the closing quote, or -1.
  (func $string (param $i i32) (param $n i32) (result i32)
    (local $c i32) (local $e i32) (local $k i32) (local $v v128) (local $special i32)
    (global.set $escape (i32.const 0))
    (block $fail
      (loop $next
        ;; Sixteen bytes at a time up to the next quote, backslash or control byte: nearly all of
        ;; a row's bytes are inside strings, and the byte loop below took one branch per byte.
        (block $bytewise
          (loop $wide
            (br_if $bytewise (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
            (local.set $v (v128.load align=1 (local.get $i)))
            (local.set $special
              (i8x16.bitmask
                (v128.or
                  (v128.or
                    (i8x16.eq (local.get $v) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))
                    (i8x16.eq (local.get $v) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
                  (i8x16.lt_u (local.get $v) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))))
            (if (i32.eqz (local.get $special))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $wide)))
            (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $special))))))
        (br_if $fail (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load8_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        ;; Lowercase letters and UTF-8 sequences (valid: the caller checked) need one comparison.
        (br_if $next (i32.gt_u (local.get $c) (i32.const 0x5c)))
        (if (i32.eq (local.get $c) (i32.const 0x22)) (then (return (local.get $i))))
        (if (i32.eq (local.get $c) (i32.const 0x5c))
          (then
            (global.set $escape (i32.const 1))
            (local.set $e (i32.load8_u (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.eq (local.get $e) (i32.const 0x75))
              (then
                (local.set $k (i32.const 0))
                (loop $hex
                  (br_if $fail (i32.eqz (call $is_hex (i32.load8_u (local.get $i)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $hex (i32.lt_u (local.get $k) (i32.const 4)))))
              (else
                ;; " \ / b f n r t
                (br_if $fail
                  (i32.eqz
                    (i32.or
                      (i32.or
                        (i32.or (i32.eq (local.get $e) (i32.const 0x22)) (i32.eq (local.get $e) (i32.const 0x5c)))
                        (i32.or (i32.eq (local.get $e) (i32.const 0x2f)) (i32.eq (local.get $e) (i32.const 0x62))))
                      (i32.or
                        (i32.or (i32.eq (local.get $e) (i32.const 0x66)) (i32.eq (local.get $e) (i32.const 0x6e)))
                        (i32.or (i32.eq (local.get $e) (i32.const 0x72)) (i32.eq (local.get $e) (i32.const 0x74)))))))))
            (br $next)))
        (br_if $fail (i32.lt_u (local.get $c) (i32.const 0x20)))
        (br $next)))
    (i32.const -1))

  (func $digits (param $i i32) (param $n i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br_if $done (i32.eqz (i32.lt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x30)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  ;; -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?: the index past it, or -1.
  (func $number (param $i i32) (param $n i32) (result i32)
    (local $c i32)
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2d)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 0x30))
      (then (local.set $i (i32.add (local.get $i) (i32.const 1))))
      (else
        (if (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))) (then (return (i32.const -1))))
        (local.set $i (call $digits (local.get $i) (local.get $n)))))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2e))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eqz (i32.lt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x30)) (i32.const 10))) (then (return (i32.const -1))))
        (local.set $i (call $digits (local.get $i) (local.get $n)))))
    (if (i32.eq (i32.or (i32.load8_u (local.get $i)) (i32.const 0x20)) (i32.const 0x65))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x2b)) (i32.eq (local.get $c) (i32.const 0x2d)))
          (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (if (i32.eqz (i32.lt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x30)) (i32.const 10))) (then (return (i32.const -1))))
        (local.set $i (call $digits (local.get $i) (local.get $n)))))
    (local.get $i))

  ;; Any JSON value starting at i (no leading space): the index past it, or -1.
  (func $value (param $i i32) (param $n i32) (param $depth i32) (result i32)
    (local $c i32)
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 0x22)) (then (return (call $string (i32.add (local.get $i) (i32.const 1)) (local.get $n)))))
    (if (i32.eq (local.get $c) (i32.const 0x7b)) (then (return (call $object (i32.add (local.get $i) (i32.const 1)) (local.get $n) (i32.add (local.get $depth) (i32.const 1))))))
    (if (i32.eq (local.get $c) (i32.const 0x5b)) (then (return (call $array (i32.add (local.get $i) (i32.const 1)) (local.get $n) (i32.add (local.get $depth) (i32.const 1))))))
    ;; true, false, null, compared as little-endian words.
    (if (i32.eq (local.get $c) (i32.const 0x74))
      (then (return (select (i32.add (local.get $i) (i32.const 4)) (i32.const -1) (i32.eq (i32.load (local.get $i)) (i32.const 0x65757274))))))
    (if (i32.eq (local.get $c) (i32.const 0x66))
      (then (return (select (i32.add (local.get $i) (i32.const 5)) (i32.const -1)
        (i32.and (i32.eq (i32.load (local.get $i)) (i32.const 0x736c6166)) (i32.eq (i32.load8_u offset=4 (local.get $i)) (i32.const 0x65)))))))
    (if (i32.eq (local.get $c) (i32.const 0x6e))
      (then (return (select (i32.add (local.get $i) (i32.const 4)) (i32.const -1) (i32.eq (i32.load (local.get $i)) (i32.const 0x6c6c756e))))))
    (call $number (local.get $i) (local.get $n)))

  (func $object (param $i i32) (param $n i32) (param $depth i32) (result i32)
    (local $c i32)
    (if (i32.gt_u (local.get $depth) (i32.const 256)) (then (return (i32.const -1))))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x7d)) (then (return (i32.add (local.get $i) (i32.const 1)))))
    (loop $member
      (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x22)) (then (return (i32.const -1))))
      (local.set $i (call $string (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
      (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
      (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
      (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a)) (then (return (i32.const -1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
      (local.set $i (call $value (local.get $i) (local.get $n) (local.get $depth)))
      (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
      (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 0x7d)) (then (return (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.ne (local.get $c) (i32.const 0x2c)) (then (return (i32.const -1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
      (br $member))
    (unreachable))

  (func $array (param $i i32) (param $n i32) (param $depth i32) (result i32)
    (local $c i32)
    (if (i32.gt_u (local.get $depth) (i32.const 256)) (then (return (i32.const -1))))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x5d)) (then (return (i32.add (local.get $i) (i32.const 1)))))
    (loop $element
      (local.set $i (call $value (local.get $i) (local.get $n) (local.get $depth)))
      (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
      (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 0x5d)) (then (return (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.ne (local.get $c) (i32.const 0x2c)) (then (return (i32.const -1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
      (br $element))
    (unreachable))

  ;; scanFields(bytes, start, end) of scan-event-fields.ts: 1 with the ranges at RESULT, or 0.
  (func (export "scanFields") (param $start i32) (param $n i32) (result i32)
    (local $i i32) (local $keyStart i32) (local $valueStart i32) (local $c i32)
    (i32.store offset=0 (i32.const 0) (i32.const -1))
    (i32.store offset=12 (i32.const 0) (i32.const -1))
    (local.set $i (call $skip_space (local.get $start) (local.get $n)))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x7b)) (then (return (i32.const 0))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x7d)) (then (return (i32.const 0))))
    (block $closed
      (loop $member
        (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x22)) (then (return (i32.const 0))))
        (local.set $keyStart (i32.add (local.get $i) (i32.const 1)))
        (local.set $i (call $string (local.get $keyStart) (local.get $n)))
        (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0))))
        ;; An escaped key may spell visit_id: JSON.parse decides.
        (if (global.get $escape) (then (return (i32.const 0))))
        (local.set $c (i32.sub (i32.sub (local.get $i) (i32.const 1)) (local.get $keyStart)))
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
        (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a)) (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
        (local.set $valueStart (local.get $i))
        (if (i32.and (i32.eq (local.get $c) (i32.const 8)) (i64.eq (i64.load (local.get $keyStart)) (i64.const 0x64695f7469736976)))
          (then
            ;; visit_id: a string, or of another type (absent; a later duplicate may set it).
            (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x22))
              (then
                (local.set $i (call $string (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
                (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0))))
                (i32.store offset=0 (i32.const 0) (local.get $valueStart))
                (i32.store offset=4 (i32.const 0) (local.get $i))
                (i32.store offset=8 (i32.const 0) (global.get $escape)))
              (else
                (local.set $i (call $value (local.get $i) (local.get $n) (i32.const 1)))
                (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0))))
                (i32.store offset=0 (i32.const 0) (i32.const -1)))))
          (else
            (if (i32.and
                  (i32.eq (local.get $c) (i32.const 10))
                  (i32.and
                    (i64.eq (i64.load (local.get $keyStart)) (i64.const 0x69745f746e657665))
                    (i32.eq (i32.load16_u offset=8 (local.get $keyStart)) (i32.const 0x656d))))
              (then
                ;; event_time: a string or a number, else absent.
                (local.set $c (i32.load8_u (local.get $i)))
                (if (i32.eq (local.get $c) (i32.const 0x22))
                  (then
                    (local.set $i (call $string (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
                    (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0))))
                    (i32.store offset=12 (i32.const 0) (local.get $valueStart))
                    (i32.store offset=16 (i32.const 0) (local.get $i))
                    (i32.store offset=20 (i32.const 0) (i32.const 1))
                    (i32.store offset=24 (i32.const 0) (global.get $escape)))
                  (else
                    (if (i32.or (i32.eq (local.get $c) (i32.const 0x2d)) (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10)))
                      (then
                        (local.set $i (call $number (local.get $i) (local.get $n)))
                        (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0))))
                        (i32.store offset=12 (i32.const 0) (local.get $valueStart))
                        (i32.store offset=16 (i32.const 0) (local.get $i))
                        (i32.store offset=20 (i32.const 0) (i32.const 0)))
                      (else
                        (local.set $i (call $value (local.get $i) (local.get $n) (i32.const 1)))
                        (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0))))
                        (i32.store offset=12 (i32.const 0) (i32.const -1)))))))
              (else
                (local.set $i (call $value (local.get $i) (local.get $n) (i32.const 1)))
                (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0))))))))
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $closed (i32.eq (local.get $c) (i32.const 0x7d)))
        (if (i32.ne (local.get $c) (i32.const 0x2c)) (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)) (then (local.set $i (call $skip_space (local.get $i) (local.get $n)))))
        (br $member)))
    (i32.and
      (i32.eq (call $skip_space (i32.add (local.get $i) (i32.const 1)) (local.get $n)) (local.get $n))
      (i32.and
        (i32.ge_s (i32.load offset=0 (i32.const 0)) (i32.const 0))
        (i32.ge_s (i32.load offset=12 (i32.const 0)) (i32.const 0)))))
;; The two digits at i as a number, or 100 (more than any field allows) if either is not a digit.
  (func $two_digits (param $i i32) (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x30)))
    (local.set $b (i32.sub (i32.load8_u offset=1 (local.get $i)) (i32.const 0x30)))
    (if (result i32) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))
      (then (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)))
      (else (i32.const 100))))

  ;; commonIsoInstant (event-time.ts) of the text at [start, end): YYYY-MM-DDThh:mm:ss followed
  ;; by Z or ±hh:mm, as epoch milliseconds; NaN for anything else, which JS then reads in full.
  (func (export "commonInstant") (param $s i32) (param $end i32) (result f64)
    (local $len i32) (local $year i32) (local $month i32) (local $day i32) (local $hour i32) (local $minute i32) (local $second i32)
    (local $sign i32) (local $offset i32) (local $y i32) (local $era i32) (local $yoe i32) (local $doy i32) (local $days i64)
    (local.set $len (i32.sub (local.get $end) (local.get $s)))
    (if (i32.and (i32.ne (local.get $len) (i32.const 20)) (i32.ne (local.get $len) (i32.const 25))) (then (return (f64.const nan))))
    (if (i32.or
          (i32.or (i32.ne (i32.load8_u offset=4 (local.get $s)) (i32.const 0x2d)) (i32.ne (i32.load8_u offset=7 (local.get $s)) (i32.const 0x2d)))
          (i32.or (i32.ne (i32.load8_u offset=10 (local.get $s)) (i32.const 0x54))
            (i32.or (i32.ne (i32.load8_u offset=13 (local.get $s)) (i32.const 0x3a)) (i32.ne (i32.load8_u offset=16 (local.get $s)) (i32.const 0x3a)))))
      (then (return (f64.const nan))))
    (local.set $year (call $two_digits (local.get $s)))
    (local.set $y (call $two_digits (i32.add (local.get $s) (i32.const 2))))
    (if (i32.or (i32.ge_u (local.get $year) (i32.const 100)) (i32.ge_u (local.get $y) (i32.const 100))) (then (return (f64.const nan))))
    (local.set $year (i32.add (i32.mul (local.get $year) (i32.const 100)) (local.get $y)))
    (local.set $month (call $two_digits (i32.add (local.get $s) (i32.const 5))))
    (local.set $day (call $two_digits (i32.add (local.get $s) (i32.const 8))))
    (local.set $hour (call $two_digits (i32.add (local.get $s) (i32.const 11))))
    (local.set $minute (call $two_digits (i32.add (local.get $s) (i32.const 14))))
    (local.set $second (call $two_digits (i32.add (local.get $s) (i32.const 17))))
    (if (i32.or
          (i32.or (i32.ge_u (i32.sub (local.get $month) (i32.const 1)) (i32.const 12)) (i32.eqz (local.get $day)))
          (i32.or (i32.gt_u (local.get $hour) (i32.const 23)) (i32.or (i32.gt_u (local.get $minute) (i32.const 59)) (i32.gt_u (local.get $second) (i32.const 59)))))
      (then (return (f64.const nan))))
    (if (i32.gt_u (local.get $day) (i32.load8_u offset=31 (local.get $month))) (then (return (f64.const nan))))
    ;; 29 February only in a leap year.
    (if (i32.and (i32.and (i32.eq (local.get $month) (i32.const 2)) (i32.eq (local.get $day) (i32.const 29)))
          (i32.eqz
            (i32.or
              (i32.and (i32.eqz (i32.rem_u (local.get $year) (i32.const 4))) (i32.ne (i32.rem_u (local.get $year) (i32.const 100)) (i32.const 0)))
              (i32.eqz (i32.rem_u (local.get $year) (i32.const 400))))))
      (then (return (f64.const nan))))
    (local.set $sign (i32.load8_u offset=19 (local.get $s)))
    (if (i32.eq (local.get $len) (i32.const 20))
      (then (if (i32.ne (local.get $sign) (i32.const 0x5a)) (then (return (f64.const nan)))))
      (else
        (if (i32.or
              (i32.and (i32.ne (local.get $sign) (i32.const 0x2b)) (i32.ne (local.get $sign) (i32.const 0x2d)))
              (i32.ne (i32.load8_u offset=22 (local.get $s)) (i32.const 0x3a)))
          (then (return (f64.const nan))))
        (local.set $offset (call $two_digits (i32.add (local.get $s) (i32.const 20))))
        (local.set $y (call $two_digits (i32.add (local.get $s) (i32.const 23))))
        (if (i32.or (i32.gt_u (local.get $offset) (i32.const 23)) (i32.gt_u (local.get $y) (i32.const 59))) (then (return (f64.const nan))))
        (local.set $offset (i32.add (i32.mul (local.get $offset) (i32.const 60)) (local.get $y)))
        (if (i32.eq (local.get $sign) (i32.const 0x2d)) (then (local.set $offset (i32.sub (i32.const 0) (local.get $offset)))))))
    ;; Days from civil (H. Hinnant), as utcMillis in event-time.ts; years start in March.
    (local.set $y (i32.sub (local.get $year) (i32.le_u (local.get $month) (i32.const 2))))
    (local.set $era (i32.div_s (i32.sub (local.get $y) (select (i32.const 399) (i32.const 0) (i32.lt_s (local.get $y) (i32.const 0)))) (i32.const 400)))
    (local.set $yoe (i32.sub (local.get $y) (i32.mul (local.get $era) (i32.const 400))))
    (local.set $doy
      (i32.add
        (i32.div_u (i32.add (i32.mul (i32.const 153) (select (i32.sub (local.get $month) (i32.const 3)) (i32.add (local.get $month) (i32.const 9)) (i32.gt_u (local.get $month) (i32.const 2)))) (i32.const 2)) (i32.const 5))
        (i32.sub (local.get $day) (i32.const 1))))
    (local.set $days
      (i64.extend_i32_s
        (i32.sub
          (i32.add
            (i32.mul (local.get $era) (i32.const 146097))
            (i32.add
              (i32.add (i32.mul (local.get $yoe) (i32.const 365)) (i32.div_u (local.get $yoe) (i32.const 4)))
              (i32.sub (local.get $doy) (i32.div_u (local.get $yoe) (i32.const 100)))))
          (i32.const 719468))))
    (f64.convert_i64_s
      (i64.sub
        (i64.add
          (i64.mul
            (i64.add (i64.mul (i64.add (i64.mul (local.get $days) (i64.const 24)) (i64.extend_i32_u (local.get $hour))) (i64.const 60)) (i64.extend_i32_u (local.get $minute)))
            (i64.const 60000))
          (i64.mul (i64.extend_i32_u (local.get $second)) (i64.const 1000)))
        (i64.mul (i64.extend_i32_s (local.get $offset)) (i64.const 60000)))))
)
