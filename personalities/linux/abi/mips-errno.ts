/**
 * Linux MIPS errno numbers (arch/mips/include/uapi/asm/errno.h). 1..34 are
 * the asm-generic errno-base values; from 35 on MIPS keeps its own (SVR4
 * derived) numbering: ENOMSG 35, EDEADLK 45, ENAMETOOLONG 78, ENOSYS 89,
 * EOPNOTSUPP 122, ETIMEDOUT 145, and EDQUOT 1133, which is why the o32 syscall
 * return path treats [-1133, -1] as errors.
 */
import type { Errno } from '../../../servers/common/errno.js';
import { linuxGenericErrno } from './errno.js';

/** Every errno name the MIPS header defines beyond errno-base (35..1133), by name. */
export const MIPS_ERRNO_EXTRA: Readonly<Record<string, number>> = {
  ENOMSG: 35, EIDRM: 36, ECHRNG: 37, EL2NSYNC: 38, EL3HLT: 39, EL3RST: 40, ELNRNG: 41, EUNATCH: 42,
  ENOCSI: 43, EL2HLT: 44, EDEADLK: 45, ENOLCK: 46, EBADE: 50, EBADR: 51, EXFULL: 52, ENOANO: 53,
  EBADRQC: 54, EBADSLT: 55, EDEADLOCK: 56, EBFONT: 59, ENOSTR: 60, ENODATA: 61, ETIME: 62,
  ENOSR: 63, ENONET: 64, ENOPKG: 65, EREMOTE: 66, ENOLINK: 67, EADV: 68, ESRMNT: 69, ECOMM: 70,
  EPROTO: 71, EDOTDOT: 73, EMULTIHOP: 74, EBADMSG: 77, ENAMETOOLONG: 78, EOVERFLOW: 79,
  ENOTUNIQ: 80, EBADFD: 81, EREMCHG: 82, ELIBACC: 83, ELIBBAD: 84, ELIBSCN: 85, ELIBMAX: 86,
  ELIBEXEC: 87, EILSEQ: 88, ENOSYS: 89, ELOOP: 90, ERESTART: 91, ESTRPIPE: 92, ENOTEMPTY: 93,
  EUSERS: 94, ENOTSOCK: 95, EDESTADDRREQ: 96, EMSGSIZE: 97, EPROTOTYPE: 98, ENOPROTOOPT: 99,
  EPROTONOSUPPORT: 120, ESOCKTNOSUPPORT: 121, EOPNOTSUPP: 122, EPFNOSUPPORT: 123,
  EAFNOSUPPORT: 124, EADDRINUSE: 125, EADDRNOTAVAIL: 126, ENETDOWN: 127, ENETUNREACH: 128,
  ENETRESET: 129, ECONNABORTED: 130, ECONNRESET: 131, ENOBUFS: 132, EISCONN: 133, ENOTCONN: 134,
  EUCLEAN: 135, ENOTNAM: 137, ENAVAIL: 138, EISNAM: 139, EREMOTEIO: 140, EINIT: 141, EREMDEV: 142,
  ESHUTDOWN: 143, ETOOMANYREFS: 144, ETIMEDOUT: 145, ECONNREFUSED: 146, EHOSTDOWN: 147,
  EHOSTUNREACH: 148, EALREADY: 149, EINPROGRESS: 150, ESTALE: 151, ECANCELED: 158, ENOMEDIUM: 159,
  EMEDIUMTYPE: 160, ENOKEY: 161, EKEYEXPIRED: 162, EKEYREVOKED: 163, EKEYREJECTED: 164,
  EOWNERDEAD: 165, ENOTRECOVERABLE: 166, ERFKILL: 167, EHWPOISON: 168, EDQUOT: 1133,
};

/** The largest errno value: a raw syscall result in [-MIPS_MAX_ERRNO, -1] is an error. */
export const MIPS_MAX_ERRNO = 1133;

const base = Object.fromEntries(Object.entries(linuxGenericErrno).filter(([, v]) => v <= 34));

/** Neutral errno → MIPS errno number. ERESTARTSYS is kernel-internal (512) on every arch. */
export const mipsErrno: Readonly<Record<Errno, number>> = Object.fromEntries(
  (Object.keys(linuxGenericErrno) as Errno[]).map((name) => [
    name,
    name === 'ERESTARTSYS' ? 512 : (base[name] ?? MIPS_ERRNO_EXTRA[name] ?? missing(name)),
  ]),
) as Record<Errno, number>;

function missing(name: string): never {
  throw new Error(`mips-errno: no MIPS value for ${name}`);
}
