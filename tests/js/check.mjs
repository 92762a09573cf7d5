// Parse .ics files with Mozilla's ical.js (Thunderbird's parser) and print
// each event's UID, UTC start/end, summary, location, description and alarms as JSON.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";
const out = [];
for (const file of process.argv.slice(2)) {
  const comp = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const tz of comp.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(tz);
  }
  for (const ve of comp.getAllSubcomponents("vevent")) {
    const ev = new ICAL.Event(ve);
    out.push({
      file,
      uid: ev.uid,
      start: ev.startDate.toUnixTime(),
      end: ev.endDate.toUnixTime(),
      tzid: ev.startDate.zone ? ev.startDate.zone.tzid : null,
      allDay: ev.startDate.isDate,
      floating: ev.startDate.zone === ICAL.Timezone.localTimezone || ev.endDate.zone === ICAL.Timezone.localTimezone,
      summary: ev.summary,
      location: ev.location,
      description: ev.description,
      sequence: ev.sequence,
      alarms: ve.getAllSubcomponents("valarm").map((a) => [
        a.getFirstPropertyValue("action"),
        a.getFirstPropertyValue("trigger").toSeconds(),
        a.getFirstPropertyValue("description"),
      ]),
    });
  }
}
console.log(JSON.stringify(out));
