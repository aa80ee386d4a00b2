//! `seg_plookup` (vm_seg.c:463-515).

use super::state::Tag;
use super::Pcache;

impl Pcache {
    /// `seg_plookup`: the shadow list cached for (tag, addr) covering `len`
    /// pages, with its active count raised; `None` on a miss. The tag is
    /// `amp` if given, else `seg`.
    pub fn seg_plookup(
        &self,
        seg: Tag,
        amp: Option<Tag>,
        addr: u64,
        len: u64,
        write: bool,
        wired: bool,
    ) -> Option<u64> {
        model::seed("vm_seg.c:478");
        // vm_seg.c:478-480: DR in progress or cache off (a hint).
        if self.pdisabled.hint() != 0 {
            return None;
        }
        let htag0 = amp.unwrap_or(seg);
        let hp = self.hashbp(htag0, addr, wired);
        hp.mtx.enter();
        let mut found = None;
        for h in hp.chain.read(&[&hp.mtx]) {
            let pcp = self.pcp(h);
            // P_MATCH (vm_seg.c:234-237).
            if pcp.tag == htag0 && pcp.addr == addr && pcp.len >= len {
                assert_eq!(pcp.wired, wired, "vm_seg.c:490");
                // vm_seg.c:499-504: not writable over len, or saturated.
                if write && pcp.wlen < len {
                    break;
                }
                let active = pcp.active.read(&[&hp.mtx]);
                if active == u64::from(u32::MAX) {
                    break;
                }
                model::seed("vm_seg.c:505");
                if !model::mutant(super::mutants::LOOKUP_NO_ACTIVE) {
                    pcp.active.with(&[&hp.mtx], |x| *x = active + 1);
                }
                if write {
                    pcp.write.with(&[&hp.mtx], |w| *w = true);
                }
                found = Some(pcp.pp);
                break;
            }
        }
        hp.mtx.exit();
        self.after_op();
        found
    }
}
