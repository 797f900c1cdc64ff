package main

import "fmt"

// rfc3339 formats seconds since the Unix epoch as an RFC 3339 UTC timestamp
// (YYYY-MM-DDTHH:MM:SSZ).
func rfc3339(secs uint64) string {
	days, secsOfDay := secs/86_400, secs%86_400
	year, month, day := civilFromDays(days)
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, secsOfDay/3600, secsOfDay/60%60, secsOfDay%60)
}

// civilFromDays is the proleptic Gregorian date of a day count since 1970-01-01 (Howard
// Hinnant's algorithm, for days on or after the epoch).
func civilFromDays(days uint64) (year, month, day uint64) {
	z := days + 719_468
	era := z / 146_097
	dayOfEra := z % 146_097
	yearOfEra := (dayOfEra - dayOfEra/1460 + dayOfEra/36_524 - dayOfEra/146_096) / 365
	dayOfYear := dayOfEra - (365*yearOfEra + yearOfEra/4 - yearOfEra/100)
	shiftedMonth := (5*dayOfYear + 2) / 153
	day = dayOfYear - (153*shiftedMonth+2)/5 + 1
	if shiftedMonth < 10 {
		month = shiftedMonth + 3
	} else {
		month = shiftedMonth - 9
	}
	year = yearOfEra + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}
